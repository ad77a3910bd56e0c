/* policy_parse.c - placeholder while the module is written. */
