// hiredis, the synchronous API Tock uses: redisConnectWithTimeout, redisConnectUnixWithTimeout,
// redisCommandArgv, redisAppendCommandArgv, redisGetReply (the variadic redisCommand does not
// import into Swift). Debian package: libhiredis-dev (0.14, RESP2 only).
#ifndef TOCK_CHIREDIS_H
#define TOCK_CHIREDIS_H

#include <sys/time.h>
#include <hiredis/hiredis.h>

#endif
