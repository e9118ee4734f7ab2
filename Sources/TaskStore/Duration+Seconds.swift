extension Duration {
    /// The duration in seconds, for logs, metrics and answers that show it as a number.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
