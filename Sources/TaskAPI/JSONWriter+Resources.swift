import Foundation
import TaskStore

/// The API's resources as JSON, field by field in API.md's order.
extension JSONWriter {
    mutating func task(_ view: TaskView) {
        let task = view.task
        beginObject()
        key("id")
        uuid(task.id)
        key("title")
        string(task.title)
        key("description")
        string(task.description)
        key("status")
        string(task.status.rawValue)
        key("priority")
        string(task.priority.rawValue)
        key("due_date")
        timestamp(task.dueDate)
        key("category")
        if let categoryID = task.categoryID, let name = view.categoryName {
            beginObject()
            key("id")
            uuid(categoryID)
            key("name")
            string(name)
            endObject()
        } else {
            null()
        }
        key("created_at")
        timestamp(task.createdAt)
        key("updated_at")
        timestamp(task.updatedAt)
        key("completed_at")
        timestamp(task.completedAt)
        key("version")
        int(task.version)
        endObject()
    }

    mutating func category(_ category: CategoryRecord) {
        beginObject()
        key("id")
        uuid(category.id)
        key("name")
        string(category.name)
        key("task_count")
        int(category.taskCount)
        key("created_at")
        timestamp(category.createdAt)
        endObject()
    }

    mutating func user(_ user: UserRecord) {
        beginObject()
        key("id")
        uuid(user.id)
        key("email")
        string(user.email)
        key("full_name")
        string(user.fullName)
        key("created_at")
        timestamp(user.createdAt)
        endObject()
    }

    mutating func tokenPair(access: String, refresh: String, expiresIn: Int64) {
        beginObject()
        key("access_token")
        string(access)
        key("refresh_token")
        string(refresh)
        key("token_type")
        string("bearer")
        key("expires_in")
        int(expiresIn)
        endObject()
    }

    mutating func timestamp(_ value: Timestamp?) {
        guard let value else { return null() }
        raw(maximum: RFC3339.length + 2) { text in
            text[0] = UInt8(ascii: "\"")
            RFC3339.write(value, to: text + 1)
            text[RFC3339.length + 1] = UInt8(ascii: "\"")
            return RFC3339.length + 2
        }
    }
}
