import Hummingbird
import TaskStore

/// `GET /tasks`'s query parameters, checked with FastAPI's 422 at `["query", name]`.
enum TaskListQuery {
    static func parse(_ parameters: Parameters) throws -> TaskQuery {
        var fields = FieldReader(.object([]), section: "query")
        var query = TaskQuery()
        // A parameter that takes one value and is given several: the last counts, as in FastAPI
        // (Starlette keeps the last of each name), so `limit=abc&limit=5` is a page of 5.
        func last(_ name: String) -> String? { parameters.getAll(name).last }
        for (index, raw) in parameters.getAll("status").enumerated() {
            if let status = fields.enumeration(.string(raw), "status", as: TaskStatus.self, index: index) { query.statuses.insert(status) }
        }
        for (index, raw) in parameters.getAll("priority").enumerated() {
            if let priority = fields.enumeration(.string(raw), "priority", as: TaskPriority.self, index: index) { query.priorities.insert(priority) }
        }
        if let category = last("category") { query.categoryName = fields.text(.string(category), "category") }
        if let categoryID = last("category_id") { query.categoryID = fields.uuid(categoryID, "category_id") }
        if let text = last("q") { query.text = fields.text(.string(text), "q") }
        if let bound = last("due_before") { query.dueBefore = fields.dateTime(.string(bound), "due_before") }
        if let bound = last("due_after") { query.dueAfter = fields.dateTime(.string(bound), "due_after") }
        if let sort = last("sort") {
            let field = TaskQuery.SortField(rawValue: sort.hasPrefix("-") ? String(sort.dropFirst()) : sort)
            if let field {
                query.sort = field
                query.descending = sort.hasPrefix("-")
            } else {
                let names = TaskQuery.SortField.allCases.flatMap { ["'\($0.rawValue)'", "'-\($0.rawValue)'"] }
                let expected = names.dropLast().joined(separator: ", ") + " or " + names.last!
                fields.report("literal_error", "sort", "Input should be \(expected)", input: .string(sort), ctx: [("expected", .string(expected))])
            }
        }
        if let limit = last("limit") { query.limit = fields.integer(limit, "limit", minimum: 1, maximum: 100) ?? 20 }
        if let offset = last("offset") { query.offset = fields.integer(offset, "offset", minimum: 0, maximum: Int.max) ?? 0 }
        try fields.finish()
        return query
    }
}
