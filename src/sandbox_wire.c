/* sandbox_wire.c - placeholder while the module is written. */
