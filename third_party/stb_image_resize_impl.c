/* The one translation unit that compiles stb_image_resize's implementation,
 * from Debian's libstb-dev (/usr/include/stb). Nothing of stb is copied here.
 *
 * stb asserts on invalid arguments; the core validates every size before
 * calling it, so assertions stay as stb ships them. */
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif
#include <stb_image_resize.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
