extension String {
    /// Lowercased as Python's `str.lower()` lowercases, which the service we replace applied to
    /// emails: Swift's `lowercased()` is the same mapping but for Unicode's Final_Sigma rule, a
    /// capital sigma that ends a word becoming "ς" rather than "σ" ("ΟΔΟΣ" is "οδος").
    var pythonLowercased: String {
        guard unicodeScalars.contains("\u{03A3}") else { return lowercased() }
        let scalars = Array(unicodeScalars)
        var result = ""
        for (index, scalar) in scalars.enumerated() {
            if scalar == "\u{03A3}" {
                result.unicodeScalars.append(Self.isFinalSigma(at: index, in: scalars) ? "\u{03C2}" : "\u{03C3}")
            } else {
                result += String(scalar).lowercased()
            }
        }
        return result
    }

    /// Unicode's Final_Sigma context, as CPython tests it: a cased letter before, and none
    /// after, skipping case-ignorable characters (apostrophes, combining marks, periods) both ways.
    private static func isFinalSigma(at index: Int, in scalars: [Unicode.Scalar]) -> Bool {
        guard let before = scalars[..<index].last(where: { !$0.properties.isCaseIgnorable }), before.properties.isCased else { return false }
        let after = scalars[(index + 1)...].first { !$0.properties.isCaseIgnorable }
        return !(after?.properties.isCased ?? false)
    }
}
