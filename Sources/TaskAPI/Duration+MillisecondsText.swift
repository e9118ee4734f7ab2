extension Duration {
    /// Milliseconds with three decimals ("0.081"), rounded down to the microsecond, as request log
    /// lines show them. `String(format: "%.3f")` went through Foundation's formatter on every
    /// request: 2% of a `GET /tasks/{id}` at the default log level.
    var millisecondsText: String {
        let (seconds, attoseconds) = components
        let microseconds = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        let magnitude = microseconds.magnitude
        let fraction = String(magnitude % 1000)
        return (microseconds < 0 ? "-" : "") + String(magnitude / 1000) + "." + String(repeating: "0", count: 3 - fraction.utf8.count) + fraction
    }
}
