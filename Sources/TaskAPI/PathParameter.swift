import Foundation
import Hummingbird

/// Path parameters that must be UUIDs: a 422 at `["path", name]` otherwise.
enum PathParameter {
    static func uuid(_ context: TaskRequestContext, _ name: String) throws -> UUID {
        let raw = context.parameters.get(name) ?? ""
        var fields = FieldReader(.object([]), section: "path")
        guard let id = fields.uuid(raw, name) else {
            try fields.finish()
            preconditionFailure("finish() throws for a bad UUID")
        }
        return id
    }
}
