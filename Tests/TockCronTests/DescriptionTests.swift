import Testing
import TockCron

@Suite struct DescriptionTests {
    @Test(arguments: [
        ("*/15 * * * *", "every 15 minutes"),
        ("* * * * *", "every minute"),
        ("30 2 * * *", "at 02:30 every day"),
        ("30 2 * * 5L", "at 02:30 on the last Friday of the month"),
        ("0 0 * 2 mon#5", "at 00:00 on the fifth Monday of the month in February"),
        ("0 9 * * mon-fri", "at 09:00 on weekdays"),
        ("0 0 1-7 * mon", "at 00:00 on day 1-7 of the month or on Monday"),
        ("0 0 13 * */7", "at 00:00 on day 13 of the month if it is Sunday"),
        ("5 * * * *", "at minute 5 past every hour"),
        ("0 */2 * * *", "at minute 0 past every 2 hours"),
        ("*/10 * * * * *", "every 10 seconds"),
        ("0 0 L * *", "at 00:00 on the last day of the month"),
        ("0 0 LW * *", "at 00:00 on the last weekday of the month"),
        ("0 0 15W * *", "at 00:00 on the weekday nearest day 15 of the month"),
        ("0 0 0 1 1 * 2030", "at 00:00:00 on day 1 of the month in January in 2030"),
        ("@hourly", "at minute 0 past every hour"),
        ("@reboot", "once at every boot"),
        ("*/5 9-17 * * *", "every 5 minutes during hour 9-17"),
        ("*/15 3 * * *", "at 03:00, 03:15, 03:30 and 03:45 every day"),
        ("0 0,12 1 */3 *", "at 00:00 and 12:00 on day 1 of the month in January, April, July and October"),
    ])
    func summary(expression: String, expected: String) throws {
        #expect(try CronExpression(expression).summary == expected)
    }
}
