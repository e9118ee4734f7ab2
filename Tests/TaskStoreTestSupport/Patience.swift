/// How long a test waits for what it expects to happen: an answer, a close, a snapshot, a
/// state reached. Its waits end as soon as that happens, so a passing test never waits this
/// out; a full parallel run on a slow two-core machine has kept a `/health` answer waiting for
/// more than 5 seconds. Checks that something does not happen keep short waits of their own.
public enum Patience {
    public static let forWhatIsExpected = Duration.seconds(60)
}
