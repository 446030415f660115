/* SPDX-License-Identifier: ISC */
/*
 * Every option of the native format (superd.conf), one line each: the one
 * place an option is declared.  A file that needs the options defines
 * CONF_OPTION, and the helper macros it uses, then includes this file:
 *
 *   CONF_OPTION(name, type, scope, check, min, max, lands, default, shown)
 *
 *   name     as written in superd.conf
 *   type     its libconfuse type: STR, STR_LIST, INT, INT_LIST or BOOL
 *   scope    SVC: in service { } and defaults { }; TOP: at the top level
 *   check    conf_value_check_* for every string value, or NULL
 *   min, max the range of every integer value (both 0: no check)
 *   lands    where its value goes: SC(field) a field of struct
 *            service_conf (an int for INT and BOOL, a char * for STR, a
 *            char ** for STR_LIST), filled by conf_fill_options (conf_service.c)
 *            and given DEFAULT by service_conf_new (svctab.c); GL(field)
 *            an int of struct globals, filled by conf_globals and given
 *            DEFAULT by svctab_new; FILL(fn): built by fn, a conf_fill_*
 *            helper of conf_service.c (a conf_fill_fn, conf.h), run once
 *            per service for the rows that name it, in the table's order
 *            (after every SC field; rows that share a helper stand
 *            together), with its own default; FILL(NULL) at the top
 *            level: read by conf.c (include, inetd_conf, user)
 *   default  of an SC or GL INT or BOOL: what a fresh service (an
 *            inetd.conf line too) or a fresh table has
 *   shown    OPT_LIST: a key of --list --json; OPT_CONVERT: written by
 *            --convert when it differs from the default; 0: neither (or
 *            written by hand where it needs more than its number)
 *
 * Users: conf.c and conf_service.c (the libconfuse schema, the value
 * checks, the filling),
 * svctab.c (the defaults, --list --json), convert.c (--convert), and
 * tests/e2e/test_man_lists_every_native_option.sh (superd.conf(5) lists
 * every option).  See "Adding an option" in docs/DESIGN.md.
 */

/* The top level. */
CONF_OPTION("instances", INT, TOP, NULL, 0, INT_MAX, GL(gl_instances), DEF_GLOBAL_INSTANCES, 0)
CONF_OPTION("user", STR, TOP, conf_value_check_user, 0, 0, FILL(NULL), 0, 0)
CONF_OPTION("selfcheck_interval", INT, TOP, NULL, 0, INT_MAX, GL(gl_selfcheck_interval), 0, 0)
CONF_OPTION("kill_children_on_exit", BOOL, TOP, NULL, 0, 0, GL(gl_kill_children), 0, 0)
CONF_OPTION("reload_on_change", BOOL, TOP, NULL, 0, 0, GL(gl_watch), 0, 0)
CONF_OPTION("builtin_timeout", INT, TOP, NULL, 1, 86400, GL(gl_builtin_timeout), DEF_BUILTIN_TIMEOUT, 0)
CONF_OPTION("include", STR_LIST, TOP, NULL, 0, 0, FILL(NULL), 0, 0)
CONF_OPTION("inetd_conf", STR_LIST, TOP, NULL, 0, 0, FILL(NULL), 0, 0)

/* A service: its endpoint and kind. */
CONF_OPTION("port", STR, SVC, conf_value_check_port, 0, 0, FILL(conf_fill_endpoint), 0, 0)
CONF_OPTION("protocol", STR, SVC, conf_value_check_protocol, 0, 0, FILL(conf_fill_endpoint), 0, 0)
CONF_OPTION("socket_type", STR, SVC, conf_value_check_socktype, 0, 0, FILL(conf_fill_endpoint), 0, 0)
CONF_OPTION("bind", STR_LIST, SVC, conf_value_check_addr, 0, 0, FILL(conf_fill_endpoint), 0, 0)
CONF_OPTION("v6only", BOOL, SVC, NULL, 0, 0, FILL(conf_fill_endpoint), 0, 0)
CONF_OPTION("disable", BOOL, SVC, NULL, 0, 0, FILL(conf_fill_endpoint), 0, 0)
CONF_OPTION("socket", STR, SVC, NULL, 0, 0, FILL(conf_fill_endpoint), 0, 0)
CONF_OPTION("socket_user", STR, SVC, conf_value_check_user, 0, 0, FILL(conf_fill_endpoint), 0, 0)
CONF_OPTION("socket_group", STR, SVC, conf_value_check_group, 0, 0, FILL(conf_fill_endpoint), 0, 0)
CONF_OPTION("socket_mode", STR, SVC, NULL, 0, 0, FILL(conf_fill_endpoint), 0, 0)
CONF_OPTION("tcpmux", STR, SVC, NULL, 0, 0, FILL(conf_fill_endpoint), 0, 0)
CONF_OPTION("tcpmux_plus", BOOL, SVC, NULL, 0, 0, FILL(conf_fill_endpoint), 0, 0)
CONF_OPTION("rpc_version", STR, SVC, NULL, 0, 0, FILL(conf_fill_endpoint), 0, 0)
CONF_OPTION("rpc_program", STR, SVC, NULL, 0, 0, FILL(conf_fill_endpoint), 0, 0)

/* What runs, as whom, in what process. */
CONF_OPTION("internal", STR, SVC, conf_value_check_internal, 0, 0, FILL(conf_fill_builtin), 0, 0)
CONF_OPTION("wait", BOOL, SVC, NULL, 0, 0, SC(sc_wait), 0, 0)
CONF_OPTION("user", STR, SVC, conf_value_check_user, 0, 0, FILL(conf_fill_creds), 0, 0)
CONF_OPTION("group", STR, SVC, conf_value_check_group, 0, 0, FILL(conf_fill_creds), 0, 0)
CONF_OPTION("groups", STR_LIST, SVC, conf_value_check_group, 0, 0, FILL(conf_fill_creds), 0, 0)
CONF_OPTION("server", STR, SVC, conf_value_check_server, 0, 0, FILL(conf_fill_server), 0, 0)
CONF_OPTION("server_args", STR_LIST, SVC, NULL, 0, 0, FILL(conf_fill_server), 0, 0)
CONF_OPTION("env", STR_LIST, SVC, conf_value_check_env, 0, 0, SC(sc_env), 0, 0)
CONF_OPTION("passenv", STR_LIST, SVC, conf_value_check_name, 0, 0, SC(sc_passenv), 0, 0)
CONF_OPTION("umask", STR, SVC, conf_value_check_umask, 0, 0, FILL(conf_fill_process), 0, 0)
CONF_OPTION("nice", INT, SVC, NULL, -20, 19, SC(sc_nice), 0, 0)
CONF_OPTION("rlimit_as", STR, SVC, conf_value_check_rlimit, 0, 0, FILL(conf_fill_process), 0, 0)
CONF_OPTION("rlimit_cpu", STR, SVC, conf_value_check_rlimit, 0, 0, FILL(conf_fill_process), 0, 0)
CONF_OPTION("rlimit_nofile", STR, SVC, conf_value_check_rlimit, 0, 0, FILL(conf_fill_process), 0, 0)
CONF_OPTION("rlimit_nproc", STR, SVC, conf_value_check_rlimit, 0, 0, FILL(conf_fill_process), 0, 0)
CONF_OPTION("rlimit_data", STR, SVC, conf_value_check_rlimit, 0, 0, FILL(conf_fill_process), 0, 0)
CONF_OPTION("chroot", STR, SVC, conf_value_check_dir, 0, 0, SC(sc_chroot), 0, 0)
CONF_OPTION("no_new_privs", BOOL, SVC, NULL, 0, 0, SC(sc_no_new_privs), 0, 0)
CONF_OPTION("capabilities", STR_LIST, SVC, NULL, 0, 0, FILL(conf_fill_caps), 0, 0)
CONF_OPTION("protect_system", STR, SVC, conf_value_check_protect, 0, 0, FILL(conf_fill_sandbox), 0, 0)
CONF_OPTION("private_tmp", BOOL, SVC, NULL, 0, 0, FILL(conf_fill_sandbox), 0, 0)
CONF_OPTION("private_devices", BOOL, SVC, NULL, 0, 0, FILL(conf_fill_sandbox), 0, 0)

/* Access. */
CONF_OPTION("only_from", STR_LIST, SVC, conf_value_check_cidr, 0, 0, FILL(conf_fill_acls), 0, 0)
CONF_OPTION("no_access", STR_LIST, SVC, conf_value_check_cidr, 0, 0, FILL(conf_fill_acls), 0, 0)
CONF_OPTION("only_uid", STR_LIST, SVC, conf_value_check_user, 0, 0, FILL(conf_fill_peers), 0, 0)
CONF_OPTION("only_gid", STR_LIST, SVC, conf_value_check_group, 0, 0, FILL(conf_fill_peers), 0, 0)
CONF_OPTION("access_times", STR_LIST, SVC, conf_value_check_times, 0, 0, FILL(conf_fill_times), 0, 0)

/* Limits and socket options. */
CONF_OPTION("instances", INT, SVC, NULL, 0, INT_MAX, SC(sc_instances), SV_UNSET, OPT_CONVERT)
CONF_OPTION("per_source", INT, SVC, NULL, 0, INT_MAX, SC(sc_per_source), DEF_PER_SOURCE, OPT_LIST | OPT_CONVERT)
CONF_OPTION("per_source_prefix6", INT, SVC, NULL, 1, 128, SC(sc_v6_prefix), DEF_V6_PREFIX, OPT_CONVERT)
CONF_OPTION("cps", INT_LIST, SVC, NULL, 0, INT_MAX, FILL(conf_fill_cps), 0, 0)
CONF_OPTION("max_per_minute", INT, SVC, NULL, 0, INT_MAX, SC(sc_max_per_minute), 0, OPT_LIST | OPT_CONVERT)
CONF_OPTION("per_ip_per_minute", INT, SVC, NULL, 0, INT_MAX, SC(sc_per_ip_rate), 0, OPT_CONVERT)
CONF_OPTION("backlog", INT, SVC, NULL, 1, 65535, SC(sc_backlog), DEF_BACKLOG, OPT_CONVERT)
CONF_OPTION("sndbuf", INT, SVC, NULL, 1, 1 << 30, SC(sc_sndbuf), 0, OPT_LIST | OPT_CONVERT)
CONF_OPTION("rcvbuf", INT, SVC, NULL, 1, 1 << 30, SC(sc_rcvbuf), 0, OPT_LIST | OPT_CONVERT)
CONF_OPTION("keepalive", BOOL, SVC, NULL, 0, 0, SC(sc_keepalive), 0, OPT_CONVERT)
CONF_OPTION("tcp_wrappers", BOOL, SVC, NULL, 0, 0, FILL(conf_fill_wrap), 0, 0)
CONF_OPTION("tcp_wrappers_name", STR, SVC, NULL, 0, 0, SC(sc_wrap_name), 0, 0)
CONF_OPTION("nodelay", BOOL, SVC, NULL, 0, 0, SC(sc_nodelay), 0, OPT_CONVERT)
CONF_OPTION("reuseport", BOOL, SVC, NULL, 0, 0, SC(sc_reuseport), 0, OPT_CONVERT)
CONF_OPTION("freebind", BOOL, SVC, NULL, 0, 0, SC(sc_freebind), 0, OPT_CONVERT)

/* Output. */
CONF_OPTION("banner", STR, SVC, conf_value_check_file, 0, 0, FILL(conf_fill_banners), 0, 0)
CONF_OPTION("banner_success", STR, SVC, conf_value_check_file, 0, 0, FILL(conf_fill_banners), 0, 0)
CONF_OPTION("banner_fail", STR, SVC, conf_value_check_file, 0, 0, FILL(conf_fill_banners), 0, 0)
CONF_OPTION("log_on_success", STR_LIST, SVC, conf_value_check_logflag, 0, 0, FILL(conf_fill_logs), 0, 0)
CONF_OPTION("log_on_failure", STR_LIST, SVC, conf_value_check_logflag, 0, 0, FILL(conf_fill_logs), 0, 0)
