/* json.h - placeholder while the module is written. */
