// swift-tools-version: 6.1
import PackageDescription

let strictness: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Tock",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tock", targets: ["tock"]),
        .executable(name: "example-worker", targets: ["ExampleWorker"]),
        .library(name: "TockCron", targets: ["TockCron"]),
        .library(name: "TockSchedule", targets: ["TockSchedule"]),
        .library(name: "TockCore", targets: ["TockCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.0"),
    ],
    targets: [
        // The cron engine: parse, next/previous, describe. Foundation only.
        .target(name: "TockCron", swiftSettings: strictness),
        // Values shared by schedule files, configuration and jobs: JSON, durations, retries.
        .target(name: "TockValues", swiftSettings: strictness),
        // Schedule files → events; Frappe frequencies; validation.
        .target(
            name: "TockSchedule",
            dependencies: [
                "TockCron", "TockValues",
                .product(name: "Yams", package: "Yams"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: strictness
        ),
        // Jobs, queues, workers' records, the backend protocol, the in-memory backend.
        .target(name: "TockCore", dependencies: ["TockCron", "TockValues"], swiftSettings: strictness),
        // tock.yaml, TOCK_* variables and flags → Configuration.
        .target(
            name: "TockConfiguration",
            dependencies: ["TockCore", "TockValues", "TockSchedule", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictness
        ),
        // The embedded default backend: one SQLite file shared by processes (WAL).
        .target(
            name: "TockSQLite",
            dependencies: ["TockCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictness
        ),
        // Workers: the loop, Swift handlers, command jobs.
        .target(
            name: "TockWorker",
            dependencies: [
                "TockCore", "TockValues",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictness
        ),
        // The scheduler daemon's loop: the heap of next fires, catch-up, overlap, the lease.
        .target(
            name: "TockScheduler",
            dependencies: [
                "TockCore", "TockSchedule", "TockValues", "TockCron",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictness
        ),
        // The HTTP API (`tock serve`): routes, request bodies, problem+json errors.
        .target(
            name: "TockAPI",
            dependencies: [
                "TockCore", "TockValues", "TockSchedule", "TockScheduler",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ],
            // The OpenAPI document, served at /api/v1/openapi.json; compiled in, so the
            // binary needs no resource bundle beside it.
            resources: [
                .embedInCode("openapi.json"),
                // The dashboard's assets (docs/dashboard.md), compiled in likewise.
                .embedInCode("Dashboard/dashboard.css"), .embedInCode("Dashboard/dashboard.js"),
                .embedInCode("Dashboard/favicon.svg"),
            ],
            swiftSettings: strictness
        ),
        // libsystemd (Debian: libsystemd-dev): sd_notify, sd_watchdog_enabled, sd_journal_sendv.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // Running under systemd: readiness/status/watchdog notifications, journald logging.
        .target(
            name: "TockSystemd",
            dependencies: ["CSystemd", "TockCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictness
        ),
        // hiredis (Debian: libhiredis-dev, 0.14, RESP2): redisCommandArgv, redisAppendCommandArgv, redisGetReply.
        // No pkgConfig: hiredis.pc's -D_FILE_OFFSET_BITS=64 makes SwiftPM warn "prohibited flag(s)";
        // the header is <hiredis/hiredis.h> under /usr/include and the modulemap links "hiredis".
        .systemLibrary(name: "CHiredis"),
        // A Redis client on hiredis (URLs, connections on their own threads, pipelines, scripts),
        // and the backend that keeps jobs in Python RQ 2.x's key layout (zlib JSON via compress-nio).
        .target(
            name: "TockRedis",
            dependencies: [
                "CHiredis", "TockCore", "TockCron", "TockValues",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: strictness
        ),
        // Opens the backend a URL names (sqlite:, redis://, unix://, memory:), for the CLI and embedders.
        .target(name: "TockBackends", dependencies: ["TockCore", "TockSQLite", "TockRedis"], swiftSettings: strictness),
        // Test fixtures shared by test targets: a throwaway redis-server.
        .target(name: "TockTestSupport", dependencies: ["TockRedis"], swiftSettings: strictness),
        // The conformance suite every backend passes (used by test targets).
        .target(name: "TockBackendConformance", dependencies: ["TockCore"], swiftSettings: strictness),
        // The `tock` command: argument parsing and wiring only.
        .executableTarget(
            name: "tock",
            dependencies: [
                "TockCron", "TockSchedule", "TockValues", "TockCore", "TockBackends", "TockSQLite", "TockRedis", "TockWorker", "TockConfiguration", "TockScheduler", "TockSystemd", "CHiredis",
                "TockAPI", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictness
        ),
        // An application's own worker executable, registering a Swift handler.
        .executableTarget(
            name: "ExampleWorker",
            dependencies: [
                "TockCore", "TockWorker", "TockBackends", "TockConfiguration", "TockValues",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictness
        ),
        // libFuzzer targets (issue 10): `scripts/fuzz NAME SECONDS`. Each is one file defining
        // LLVMFuzzerTestOneInput, with a `@main` that replays files only `#if !FUZZING`:
        // scripts/fuzz builds with `-sanitize=fuzzer,address -DFUZZING` and libFuzzer brings
        // `main`; a normal `swift build` builds and links them as plain replay executables
        // (Fuzz/Support/FuzzInput.swift says more). The seed corpora are not sources.
        .target(name: "TockFuzzSupport", path: "Fuzz/Support", swiftSettings: strictness),
        .executableTarget(
            name: "FuzzCron", dependencies: ["TockCron", "TockFuzzSupport"], path: "Fuzz/Cron", exclude: ["corpus"],
            swiftSettings: strictness),
        .executableTarget(
            name: "FuzzSchedule", dependencies: ["TockSchedule", "TockFuzzSupport"], path: "Fuzz/Schedule",
            exclude: ["corpus"], swiftSettings: strictness),
        .executableTarget(
            name: "FuzzConfiguration", dependencies: ["TockConfiguration", "TockFuzzSupport"], path: "Fuzz/Configuration",
            exclude: ["corpus"], swiftSettings: strictness),
        .executableTarget(
            name: "FuzzJSON", dependencies: ["TockValues", "TockFuzzSupport"], path: "Fuzz/JSON", exclude: ["corpus"],
            swiftSettings: strictness),
        .executableTarget(
            name: "FuzzRESP", dependencies: ["TockRedis", "TockFuzzSupport"], path: "Fuzz/RESP", exclude: ["corpus"],
            swiftSettings: strictness),
        .executableTarget(
            name: "FuzzRQJobHash", dependencies: ["TockRedis", "TockFuzzSupport"], path: "Fuzz/RQJobHash",
            exclude: ["corpus"], swiftSettings: strictness),
        .executableTarget(
            name: "FuzzSQLiteRow",
            dependencies: ["TockSQLite", "TockFuzzSupport", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Fuzz/SQLiteRow", exclude: ["corpus"], swiftSettings: strictness),
        .testTarget(
            name: "TockCronTests",
            dependencies: ["TockCron"],
            resources: [.copy("Vectors")],
            swiftSettings: strictness
        ),
        .testTarget(name: "TockScheduleTests", dependencies: ["TockSchedule", "TockValues"], swiftSettings: strictness),
        .testTarget(name: "TockCoreTests", dependencies: ["TockCore", "TockValues", "TockBackendConformance"], swiftSettings: strictness),
        .testTarget(name: "TockConfigurationTests", dependencies: ["TockConfiguration"], swiftSettings: strictness),
        .testTarget(
            name: "TockSQLiteTests",
            dependencies: ["TockSQLite", "TockCore", "TockBackendConformance", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictness
        ),
        .testTarget(
            name: "TockSchedulerTests",
            dependencies: [
                "TockScheduler", "TockCore", "TockSchedule", "TockCron", "TockValues", "TockSQLite", "TockRedis",
                "TockTestSupport", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictness
        ),
        .testTarget(
            name: "TockWorkerTests",
            dependencies: [
                "TockWorker", "TockCore", "TockValues",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictness
        ),
        .testTarget(
            name: "TockSystemdTests",
            dependencies: ["TockSystemd", "TockTestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictness
        ),
        // Starts a throwaway redis-server on loopback.
        .testTarget(
            name: "TockRedisTests", dependencies: ["TockRedis", "TockCore", "TockValues", "TockBackendConformance", "TockTestSupport"],
            swiftSettings: strictness),
        // Drives the real `tock` binary as a child process.
        .testTarget(
            name: "TockCLITests", dependencies: ["tock", "ExampleWorker", "TockTestSupport", "TockRedis", "TockCore", "TockValues"],
            swiftSettings: strictness),
        // The realtime API (SSE, WebSocket) with the real `tock` binary, and its event hub in process.
        .testTarget(
            name: "TockRealtimeTests",
            dependencies: [
                "tock", "TockAPI", "TockCore", "TockSQLite", "TockRedis", "TockTestSupport",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictness),
    ]
)
