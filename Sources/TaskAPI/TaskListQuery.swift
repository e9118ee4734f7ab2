import TaskStore

/// `GET /tasks`'s query parameters, checked with FastAPI's 422 at `["query", name]`.
enum TaskListQuery {
    static func parse(_ parameters: QueryString) throws -> TaskQuery {
        var fields = FieldReader(.object([]), section: "query")
        var query = TaskQuery()
        for (index, raw) in parameters.all("status").enumerated() {
            if let status = fields.enumeration(.string(raw), "status", as: TaskStatus.self, index: index) { query.statuses.insert(status) }
        }
        for (index, raw) in parameters.all("priority").enumerated() {
            if let priority = fields.enumeration(.string(raw), "priority", as: TaskPriority.self, index: index) { query.priorities.insert(priority) }
        }
        if let category = parameters.last("category") { query.categoryName = fields.text(.string(category), "category") }
        if let categoryID = parameters.last("category_id") { query.categoryID = fields.uuid(categoryID, "category_id") }
        if let text = parameters.last("q") { query.text = fields.text(.string(text), "q") }
        if let bound = parameters.last("due_before") { query.dueBefore = fields.dateTime(.string(bound), "due_before") }
        if let bound = parameters.last("due_after") { query.dueAfter = fields.dateTime(.string(bound), "due_after") }
        if let sort = parameters.last("sort") {
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
        if let limit = parameters.last("limit") { query.limit = fields.integer(limit, "limit", minimum: 1, maximum: 100) ?? 20 }
        if let offset = parameters.last("offset") { query.offset = fields.integer(offset, "offset", minimum: 0, maximum: Int.max) ?? 0 }
        try fields.finish()
        return query
    }
}
