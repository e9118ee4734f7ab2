import Foundation
import Hummingbird

/// Path parameters that must be UUIDs: a 422 at `["path", name]` otherwise.
enum PathParameter {
    /// The parameter as an id, percent-decoded first (DecodedPathResponder left `%`, `?` and
    /// `#` escaped in it); nil, with the problem added to `fields`, when it is not one.
    static func uuid(_ context: TaskRequestContext, _ name: String, into fields: inout FieldReader) -> UUID? {
        let raw = context.parameters.get(name) ?? ""
        // Bytes, not `contains("%")`: that is Foundation's, through NSString, on every request.
        return fields.uuid(raw.utf8.contains(UInt8(ascii: "%")) ? PercentDecoding.decode(raw[...]) : raw, name)
    }

    /// The same, refused at once: for routes whose path is all there is to check.
    static func uuid(_ context: TaskRequestContext, _ name: String) throws -> UUID {
        var fields = FieldReader(.object([]), section: "path")
        let id = uuid(context, name, into: &fields)
        try fields.finish()
        return id!
    }
}
