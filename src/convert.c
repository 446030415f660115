/* PLACEHOLDER: replaced by the converter. */
#include "superd.h"
int convert_main(const char *p, FILE *o) { (void)p; (void)o; return -1; }
