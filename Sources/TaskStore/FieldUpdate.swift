/// A PATCH field: absent (leave it) or present with a value, where the value of a nullable
/// field may be `nil` (clear it).
public enum FieldUpdate<Value: Sendable & Equatable>: Sendable, Equatable {
    case unchanged
    case set(Value)

    func applied(to current: Value) -> Value {
        switch self {
        case .unchanged: current
        case .set(let value): value
        }
    }
}
