// libsystemd, as much of it as Tock uses: readiness/watchdog notification (sd_notify,
// sd_watchdog_enabled), socket activation (sd_listen_fds, sd_is_socket; all in
// sd-daemon.h) and structured journal records (sd_journal_sendv; the variadic
// sd_journal_send does not import into Swift). Debian package: libsystemd-dev.
#ifndef TOCK_CSYSTEMD_H
#define TOCK_CSYSTEMD_H

#include <sys/uio.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

#endif
