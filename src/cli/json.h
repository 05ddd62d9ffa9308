/* json.h - JSON values for the report. Every string is valid JSON
 * whatever bytes the file names hold: bytes that are not UTF-8 are written
 * as \u00XX. */
#ifndef THUMBIFY_JSON_H
#define THUMBIFY_JSON_H

#include <stdio.h>

/* text as a JSON string; NULL as null. */
void json_string(FILE *f, const char *text);

/* ", \"key\": v", or ", \"key\": null" when !known. */
void json_int_or_null(FILE *f, const char *key, long long v, int known);

#endif
