import TaskStore

extension FieldUpdate {
    /// The value when set, nil when unchanged.
    var value: Value? {
        if case .set(let value) = self { return value }
        return nil
    }
}
