/* entropy_scan.c - libjpeg's scan as an entropy decoder of ours sees it,
 * for the two that take libjpeg's place (path_skip_ac.c, which decodes
 * the scan, and path_dc_only_feed.c, which hands it decoded blocks). */
#include <stdio.h> /* jpeglib.h needs FILE */

#include "entropy_scan.h"

#include <jpegint.h>

const unsigned char tf_jpeg_natural[64 + 16] = {
    0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,  12, 19, 26, 33,
    40, 48, 41, 34, 27, 20, 13, 6,  7,  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36,
    29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54,
    47, 55, 62, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63};

int tf_jpeg_needs_ac(const jpeg_component_info *comp)
{
#if JPEG_LIB_VERSION >= 70 /* what jdhuff.c reads as _DCT_scaled_size */
    return comp->DCT_h_scaled_size > 1;
#else
    return comp->DCT_scaled_size > 1;
#endif
}

int tf_jpeg_one_scan(j_decompress_ptr c)
{
    return !c->progressive_mode && !c->arith_code && c->data_precision == 8 && !c->buffered_image &&
           c->comps_in_scan == c->num_components && c->Ss == 0 && c->Se == 63 && c->Ah == 0 &&
           c->Al == 0 && c->unread_marker == 0 && c->input_scan_number == 1 &&
           c->input_iMCU_row == 0 && c->output_scanline == 0 && c->blocks_in_MCU >= 1 &&
           c->blocks_in_MCU <= D_MAX_BLOCKS_IN_MCU && c->src && c->src->next_input_byte &&
           c->MCUs_per_row > 0 && c->MCU_rows_in_scan > 0;
}
