/// The OpenAPI 3.1 document of the API, served at `/openapi.json`. `OperationsTests` checks it
/// against the route table, so a route cannot be added or removed without it.
enum OpenAPIDocument {
    static let json = #"""
{
 "openapi": "3.1.0",
 "info": {
  "title": "taskd",
  "version": "1.0.0",
  "description": "Task management: users, tasks and categories, each user's state in memory behind a write-ahead log."
 },
 "paths": {
  "/auth/register": {
   "post": {
    "tags": [
     "auth"
    ],
    "summary": "Register a user",
    "operationId": "register",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/UserCreate"
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "The new user",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/User"
        }
       }
      }
     },
     "409": {
      "description": "Email already registered",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "413": {
      "description": "Body larger than 1 MiB",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "415": {
      "description": "Body with a Content-Type other than JSON",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "422": {
      "description": "Validation error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      }
     },
     "503": {
      "description": "Storage cannot make the write durable",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     }
    }
   }
  },
  "/auth/login": {
   "post": {
    "tags": [
     "auth"
    ],
    "summary": "Log in: a token pair",
    "operationId": "login",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/LoginRequest"
       }
      },
      "application/x-www-form-urlencoded": {
       "schema": {
        "$ref": "#/components/schemas/LoginForm"
       }
      },
      "multipart/form-data": {
       "schema": {
        "$ref": "#/components/schemas/LoginForm"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Tokens",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/TokenPair"
        }
       }
      },
      "headers": {
       "X-RateLimit-Limit": {
        "schema": {
         "type": "integer"
        }
       },
       "X-RateLimit-Remaining": {
        "schema": {
         "type": "integer"
        }
       },
       "X-RateLimit-Reset": {
        "schema": {
         "type": "integer"
        }
       }
      }
     },
     "401": {
      "description": "Incorrect email or password",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "413": {
      "description": "Body larger than 1 MiB",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "415": {
      "description": "Body with a Content-Type other than JSON",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "422": {
      "description": "Validation error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      }
     },
     "429": {
      "description": "Rate limit exceeded",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      },
      "headers": {
       "Retry-After": {
        "schema": {
         "type": "integer"
        }
       },
       "X-RateLimit-Limit": {
        "schema": {
         "type": "integer"
        }
       },
       "X-RateLimit-Remaining": {
        "schema": {
         "type": "integer"
        }
       },
       "X-RateLimit-Reset": {
        "schema": {
         "type": "integer"
        }
       }
      }
     },
     "503": {
      "description": "Storage cannot make the write durable",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     }
    }
   }
  },
  "/auth/refresh": {
   "post": {
    "tags": [
     "auth"
    ],
    "summary": "Exchange a refresh token for a new pair (rotation)",
    "operationId": "refresh",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/RefreshRequest"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "New tokens; the presented refresh token stops working",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/TokenPair"
        }
       }
      }
     },
     "401": {
      "description": "Invalid, expired, revoked or reused refresh token",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "413": {
      "description": "Body larger than 1 MiB",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "415": {
      "description": "Body with a Content-Type other than JSON",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "422": {
      "description": "Validation error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      }
     },
     "503": {
      "description": "Storage cannot make the write durable",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     }
    }
   }
  },
  "/auth/logout": {
   "post": {
    "tags": [
     "auth"
    ],
    "summary": "Revoke the login a refresh token belongs to",
    "operationId": "logout",
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/RefreshRequest"
       }
      }
     }
    },
    "responses": {
     "204": {
      "description": "Logged out (unknown tokens are ignored)"
     },
     "413": {
      "description": "Body larger than 1 MiB",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "415": {
      "description": "Body with a Content-Type other than JSON",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "422": {
      "description": "Validation error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      }
     },
     "503": {
      "description": "Storage cannot make the write durable",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     }
    }
   }
  },
  "/users/me": {
   "get": {
    "tags": [
     "users"
    ],
    "summary": "The current user",
    "operationId": "me",
    "security": [
     {
      "bearer": []
     }
    ],
    "responses": {
     "200": {
      "description": "The user",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/User"
        }
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or revoked credentials",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      },
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/tasks": {
   "post": {
    "tags": [
     "tasks"
    ],
    "summary": "Create a task",
    "operationId": "createTask",
    "security": [
     {
      "bearer": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/TaskCreate"
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "The task",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Task"
        }
       }
      },
      "headers": {
       "Location": {
        "schema": {
         "type": "string"
        }
       },
       "ETag": {
        "schema": {
         "type": "string"
        },
        "description": "\"<version>\""
       },
       "Idempotent-Replayed": {
        "schema": {
         "type": "string"
        },
        "description": "true when this is the first response of an earlier create with the same Idempotency-Key"
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or revoked credentials",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      },
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "413": {
      "description": "Body larger than 1 MiB",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "415": {
      "description": "Body with a Content-Type other than JSON",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "422": {
      "description": "Validation error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      }
     },
     "503": {
      "description": "Storage cannot make the write durable",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "Idempotency-Key",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 255,
       "pattern": "^[\\x21-\\x7e]{1,255}$"
      },
      "description": "A repeat with the same key by the same user within 24 hours returns the first response (with Idempotent-Replayed: true) and creates nothing, also across restarts"
     }
    ]
   },
   "get": {
    "tags": [
     "tasks"
    ],
    "summary": "List, filter, sort and page tasks",
    "operationId": "listTasks",
    "security": [
     {
      "bearer": []
     }
    ],
    "parameters": [
     {
      "name": "status",
      "in": "query",
      "required": false,
      "schema": {
       "type": "array",
       "items": {
        "type": "string",
        "enum": [
         "todo",
         "in_progress",
         "done"
        ]
       }
      },
      "description": "Exact match; may repeat"
     },
     {
      "name": "priority",
      "in": "query",
      "required": false,
      "schema": {
       "type": "array",
       "items": {
        "type": "string",
        "enum": [
         "low",
         "medium",
         "high"
        ]
       }
      },
      "description": "Exact match; may repeat"
     },
     {
      "name": "category",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "pattern": "^[^\\u0000]*$"
      },
      "description": "Category name, case-insensitive"
     },
     {
      "name": "category_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "uuid"
      },
      "description": "Category id"
     },
     {
      "name": "q",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "pattern": "^[^\\u0000]*$"
      },
      "description": "Case-insensitive substring of title or description"
     },
     {
      "name": "due_before",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date-time",
       "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:?[0-9]{2})$"
      },
      "description": "Due strictly before (tasks without a due date are left out)"
     },
     {
      "name": "due_after",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date-time",
       "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:?[0-9]{2})$"
      },
      "description": "Due strictly after (tasks without a due date are left out)"
     },
     {
      "name": "sort",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "enum": [
        "created_at",
        "-created_at",
        "updated_at",
        "-updated_at",
        "due_date",
        "-due_date",
        "priority",
        "-priority",
        "title",
        "-title"
       ],
       "default": "-created_at"
      },
      "description": "Sort order; ties by id; no due date sorts last"
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 100,
       "default": 20
      },
      "description": "Page size"
     },
     {
      "name": "offset",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer",
       "minimum": 0,
       "default": 0,
       "maximum": 9223372036854775807
      },
      "description": "Tasks to skip"
     }
    ],
    "responses": {
     "200": {
      "description": "A page of tasks",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/TaskPage"
        }
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or revoked credentials",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      },
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "422": {
      "description": "Validation error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      }
     }
    }
   }
  },
  "/tasks/{task_id}": {
   "get": {
    "tags": [
     "tasks"
    ],
    "summary": "One task",
    "operationId": "getTask",
    "security": [
     {
      "bearer": []
     }
    ],
    "parameters": [
     {
      "name": "task_id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "format": "uuid"
      }
     },
     {
      "name": "If-None-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string",
       "pattern": "^[^\\u0000]*$"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "The task",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Task"
        }
       }
      },
      "headers": {
       "ETag": {
        "schema": {
         "type": "string"
        },
        "description": "\"<version>\""
       }
      }
     },
     "304": {
      "description": "Not modified (the ETag matches)"
     },
     "401": {
      "description": "Missing, malformed, expired or revoked credentials",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      },
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "Task not found",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "422": {
      "description": "Validation error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      }
     }
    }
   },
   "patch": {
    "tags": [
     "tasks"
    ],
    "summary": "Change some fields of a task",
    "operationId": "updateTask",
    "security": [
     {
      "bearer": []
     }
    ],
    "parameters": [
     {
      "name": "task_id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "format": "uuid"
      }
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string",
       "pattern": "^[^\\u0000]*$"
      },
      "description": "Apply only if the task's ETag is one of these; a stale one gets 412"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/TaskUpdate"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The updated task",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Task"
        }
       }
      },
      "headers": {
       "ETag": {
        "schema": {
         "type": "string"
        },
        "description": "\"<version>\""
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or revoked credentials",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      },
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "Task not found",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "412": {
      "description": "If-Match names another version",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "413": {
      "description": "Body larger than 1 MiB",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "415": {
      "description": "Body with a Content-Type other than JSON",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "422": {
      "description": "Validation error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      }
     },
     "503": {
      "description": "Storage cannot make the write durable",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     }
    }
   },
   "delete": {
    "tags": [
     "tasks"
    ],
    "summary": "Delete a task",
    "operationId": "deleteTask",
    "security": [
     {
      "bearer": []
     }
    ],
    "parameters": [
     {
      "name": "task_id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "format": "uuid"
      }
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string",
       "pattern": "^[^\\u0000]*$"
      },
      "description": "Apply only if the task's ETag is one of these; a stale one gets 412"
     }
    ],
    "responses": {
     "204": {
      "description": "Deleted"
     },
     "401": {
      "description": "Missing, malformed, expired or revoked credentials",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      },
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "Task not found",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "412": {
      "description": "If-Match names another version",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "422": {
      "description": "Validation error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      }
     },
     "503": {
      "description": "Storage cannot make the write durable",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     }
    }
   }
  },
  "/categories": {
   "get": {
    "tags": [
     "categories"
    ],
    "summary": "The user's categories, by name",
    "operationId": "listCategories",
    "security": [
     {
      "bearer": []
     }
    ],
    "responses": {
     "200": {
      "description": "Categories",
      "content": {
       "application/json": {
        "schema": {
         "type": "array",
         "items": {
          "$ref": "#/components/schemas/Category"
         }
        }
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or revoked credentials",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      },
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   },
   "post": {
    "tags": [
     "categories"
    ],
    "summary": "Create a category",
    "operationId": "createCategory",
    "security": [
     {
      "bearer": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/CategoryName"
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "The category",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Category"
        }
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or revoked credentials",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      },
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "409": {
      "description": "Category already exists",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "413": {
      "description": "Body larger than 1 MiB",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "415": {
      "description": "Body with a Content-Type other than JSON",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "422": {
      "description": "Validation error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      }
     },
     "503": {
      "description": "Storage cannot make the write durable",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     }
    }
   }
  },
  "/categories/{category_id}": {
   "patch": {
    "tags": [
     "categories"
    ],
    "summary": "Rename a category",
    "operationId": "renameCategory",
    "security": [
     {
      "bearer": []
     }
    ],
    "parameters": [
     {
      "name": "category_id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "format": "uuid"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/CategoryName"
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The category",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Category"
        }
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or revoked credentials",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      },
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "Category not found",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "409": {
      "description": "Category already exists",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "413": {
      "description": "Body larger than 1 MiB",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "415": {
      "description": "Body with a Content-Type other than JSON",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "422": {
      "description": "Validation error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      }
     },
     "503": {
      "description": "Storage cannot make the write durable",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     }
    }
   },
   "delete": {
    "tags": [
     "categories"
    ],
    "summary": "Delete a category; its tasks stay, uncategorized",
    "operationId": "deleteCategory",
    "security": [
     {
      "bearer": []
     }
    ],
    "parameters": [
     {
      "name": "category_id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "format": "uuid"
      }
     }
    ],
    "responses": {
     "204": {
      "description": "Deleted"
     },
     "401": {
      "description": "Missing, malformed, expired or revoked credentials",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      },
      "headers": {
       "WWW-Authenticate": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "Category not found",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "422": {
      "description": "Validation error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      }
     },
     "503": {
      "description": "Storage cannot make the write durable",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     }
    }
   }
  },
  "/health": {
   "get": {
    "tags": [
     "operations"
    ],
    "summary": "Liveness and storage health",
    "operationId": "health",
    "responses": {
     "200": {
      "description": "Serving",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Health"
        }
       }
      }
     },
     "503": {
      "description": "Storage is failing (status unavailable), or has been on one write for over 10 s (status stalled)",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Health"
        }
       }
      }
     }
    }
   }
  },
  "/metrics": {
   "get": {
    "tags": [
     "operations"
    ],
    "summary": "Prometheus metrics",
    "operationId": "metrics",
    "responses": {
     "200": {
      "description": "Prometheus text exposition",
      "content": {
       "text/plain": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/openapi.json": {
   "get": {
    "tags": [
     "operations"
    ],
    "summary": "This document",
    "operationId": "openapi",
    "responses": {
     "200": {
      "description": "OpenAPI 3.1",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     }
    }
   }
  },
  "/docs": {
   "get": {
    "tags": [
     "operations"
    ],
    "summary": "A page that renders this document",
    "operationId": "docs",
    "responses": {
     "200": {
      "description": "HTML",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/sync": {
   "get": {
    "tags": [
     "sync"
    ],
    "summary": "Changes to the user's tasks and categories after a cursor, oldest first",
    "operationId": "sync",
    "security": [
     {
      "bearer": []
     }
    ],
    "parameters": [
     {
      "name": "since",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "pattern": "^1-[0-9]+$"
      },
      "description": "A cursor from an earlier response; absent: everything"
     }
    ],
    "responses": {
     "200": {
      "description": "At most 500 changes; has_more says there are more",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/SyncPage"
        }
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or revoked credentials",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "410": {
      "description": "The cursor is older than the retained history, or from before the data directory was restored, repaired or brought back from a machine crash that may have lost unsynced writes: sync again without since",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPError"
        }
       }
      }
     },
     "422": {
      "description": "Not a cursor",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      }
     }
    }
   }
  }
 },
 "components": {
  "schemas": {
   "User": {
    "type": "object",
    "required": [
     "id",
     "email",
     "full_name",
     "created_at"
    ],
    "properties": {
     "id": {
      "type": "string",
      "format": "uuid"
     },
     "email": {
      "type": "string",
      "pattern": "^[^\\u0000]*$"
     },
     "full_name": {
      "type": [
       "string",
       "null"
      ],
      "pattern": "^[^\\u0000]*$"
     },
     "created_at": {
      "type": "string",
      "format": "date-time",
      "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:?[0-9]{2})$"
     }
    }
   },
   "UserCreate": {
    "type": "object",
    "required": [
     "email",
     "password"
    ],
    "properties": {
     "email": {
      "type": "string",
      "maxLength": 254,
      "format": "email",
      "pattern": "^[^@\\s\\u0000]+@[^@\\s\\u0000.]+(\\.[^@\\s\\u0000.]+)+$"
     },
     "password": {
      "type": "string",
      "description": "8 to 72 bytes of UTF-8",
      "pattern": "^[^\\u0000]*$",
      "minLength": 8,
      "maxLength": 72
     },
     "full_name": {
      "type": [
       "string",
       "null"
      ],
      "maxLength": 100,
      "pattern": "^[^\\u0000]*$"
     }
    }
   },
   "LoginRequest": {
    "type": "object",
    "required": [
     "email",
     "password"
    ],
    "properties": {
     "email": {
      "type": "string",
      "pattern": "^[^\\u0000]*$"
     },
     "password": {
      "type": "string",
      "pattern": "^[^\\u0000]*$"
     }
    }
   },
   "LoginForm": {
    "type": "object",
    "required": [
     "username",
     "password"
    ],
    "properties": {
     "grant_type": {
      "type": "string",
      "pattern": "^password$"
     },
     "username": {
      "type": "string",
      "pattern": "^[^\\u0000]*$"
     },
     "password": {
      "type": "string",
      "pattern": "^[^\\u0000]*$"
     },
     "scope": {
      "type": "string",
      "pattern": "^[^\\u0000]*$"
     },
     "client_id": {
      "type": "string",
      "pattern": "^[^\\u0000]*$"
     },
     "client_secret": {
      "type": "string",
      "pattern": "^[^\\u0000]*$"
     }
    }
   },
   "RefreshRequest": {
    "type": "object",
    "required": [
     "refresh_token"
    ],
    "properties": {
     "refresh_token": {
      "type": "string",
      "pattern": "^[^\\u0000]*$"
     }
    }
   },
   "TokenPair": {
    "type": "object",
    "required": [
     "access_token",
     "refresh_token",
     "token_type",
     "expires_in"
    ],
    "properties": {
     "access_token": {
      "type": "string",
      "pattern": "^[^\\u0000]*$"
     },
     "refresh_token": {
      "type": "string",
      "pattern": "^[^\\u0000]*$"
     },
     "token_type": {
      "type": "string",
      "const": "bearer"
     },
     "expires_in": {
      "type": "integer"
     }
    }
   },
   "CategoryRef": {
    "type": "object",
    "required": [
     "id",
     "name"
    ],
    "properties": {
     "id": {
      "type": "string",
      "format": "uuid"
     },
     "name": {
      "type": "string",
      "pattern": "^[^\\u0000]*$"
     }
    }
   },
   "Task": {
    "type": "object",
    "required": [
     "id",
     "title",
     "description",
     "status",
     "priority",
     "due_date",
     "category",
     "created_at",
     "updated_at",
     "completed_at",
     "version"
    ],
    "properties": {
     "id": {
      "type": "string",
      "format": "uuid"
     },
     "title": {
      "type": "string",
      "pattern": "^[^\\u0000]*$"
     },
     "description": {
      "type": [
       "string",
       "null"
      ],
      "pattern": "^[^\\u0000]*$"
     },
     "status": {
      "type": "string",
      "enum": [
       "todo",
       "in_progress",
       "done"
      ]
     },
     "priority": {
      "type": "string",
      "enum": [
       "low",
       "medium",
       "high"
      ]
     },
     "due_date": {
      "type": [
       "string",
       "null"
      ],
      "format": "date-time",
      "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:?[0-9]{2})$"
     },
     "category": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/CategoryRef"
       },
       {
        "type": "null"
       }
      ]
     },
     "created_at": {
      "type": "string",
      "format": "date-time",
      "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:?[0-9]{2})$"
     },
     "updated_at": {
      "type": "string",
      "format": "date-time",
      "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:?[0-9]{2})$"
     },
     "completed_at": {
      "type": [
       "string",
       "null"
      ],
      "format": "date-time",
      "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:?[0-9]{2})$"
     },
     "version": {
      "type": "integer",
      "minimum": 1
     }
    }
   },
   "TaskCreate": {
    "type": "object",
    "required": [
     "title"
    ],
    "properties": {
     "title": {
      "type": "string",
      "minLength": 1,
      "maxLength": 200,
      "pattern": "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
     },
     "description": {
      "type": [
       "string",
       "null"
      ],
      "maxLength": 10000,
      "pattern": "^[^\\u0000]*$"
     },
     "status": {
      "type": "string",
      "enum": [
       "todo",
       "in_progress",
       "done"
      ],
      "default": "todo"
     },
     "priority": {
      "type": "string",
      "enum": [
       "low",
       "medium",
       "high"
      ],
      "default": "medium"
     },
     "due_date": {
      "type": [
       "string",
       "null"
      ],
      "format": "date-time",
      "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:?[0-9]{2})$"
     },
     "category_name": {
      "type": [
       "string",
       "null"
      ],
      "minLength": 1,
      "maxLength": 50,
      "pattern": "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
     }
    }
   },
   "TaskUpdate": {
    "type": "object",
    "description": "Only the fields present change; null clears a nullable field; title, status and priority cannot be null",
    "properties": {
     "title": {
      "type": "string",
      "minLength": 1,
      "maxLength": 200,
      "pattern": "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
     },
     "description": {
      "type": [
       "string",
       "null"
      ],
      "maxLength": 10000,
      "pattern": "^[^\\u0000]*$"
     },
     "status": {
      "type": "string",
      "enum": [
       "todo",
       "in_progress",
       "done"
      ]
     },
     "priority": {
      "type": "string",
      "enum": [
       "low",
       "medium",
       "high"
      ]
     },
     "due_date": {
      "type": [
       "string",
       "null"
      ],
      "format": "date-time",
      "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:?[0-9]{2})$"
     },
     "category_name": {
      "type": [
       "string",
       "null"
      ],
      "minLength": 1,
      "maxLength": 50,
      "pattern": "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
     }
    }
   },
   "TaskPage": {
    "type": "object",
    "required": [
     "items",
     "total",
     "limit",
     "offset"
    ],
    "properties": {
     "items": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Task"
      }
     },
     "total": {
      "type": "integer"
     },
     "limit": {
      "type": "integer"
     },
     "offset": {
      "type": "integer"
     }
    }
   },
   "Category": {
    "type": "object",
    "required": [
     "id",
     "name",
     "task_count",
     "created_at"
    ],
    "properties": {
     "id": {
      "type": "string",
      "format": "uuid"
     },
     "name": {
      "type": "string",
      "pattern": "^[^\\u0000]*$"
     },
     "task_count": {
      "type": "integer"
     },
     "created_at": {
      "type": "string",
      "format": "date-time",
      "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:?[0-9]{2})$"
     }
    }
   },
   "CategoryName": {
    "type": "object",
    "required": [
     "name"
    ],
    "properties": {
     "name": {
      "type": "string",
      "minLength": 1,
      "maxLength": 50,
      "pattern": "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
     }
    }
   },
   "Health": {
    "type": "object",
    "required": [
     "status"
    ],
    "properties": {
     "status": {
      "type": "string",
      "enum": [
       "ok",
       "unavailable",
       "stalled"
      ]
     },
     "detail": {
      "type": "string",
      "pattern": "^[^\\u0000]*$"
     },
     "wal_lsn": {
      "type": "integer",
      "minimum": 0,
      "description": "The last WAL record acknowledged (with status ok)"
     },
     "fsync": {
      "type": "string",
      "enum": [
       "always",
       "everysec",
       "never"
      ],
      "description": "The --fsync policy (with status ok)"
     }
    }
   },
   "HTTPError": {
    "type": "object",
    "required": [
     "detail"
    ],
    "properties": {
     "detail": {
      "type": "string",
      "pattern": "^[^\\u0000]*$"
     }
    }
   },
   "ValidationError": {
    "type": "object",
    "required": [
     "type",
     "loc",
     "msg"
    ],
    "properties": {
     "type": {
      "type": "string",
      "pattern": "^[^\\u0000]*$"
     },
     "loc": {
      "type": "array",
      "items": {
       "oneOf": [
        {
         "type": "string",
         "pattern": "^[^\\u0000]*$"
        },
        {
         "type": "integer"
        }
       ]
      }
     },
     "msg": {
      "type": "string",
      "pattern": "^[^\\u0000]*$"
     },
     "input": {},
     "ctx": {
      "type": "object"
     }
    }
   },
   "HTTPValidationError": {
    "type": "object",
    "required": [
     "detail"
    ],
    "properties": {
     "detail": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/ValidationError"
      }
     }
    }
   },
   "Change": {
    "oneOf": [
     {
      "type": "object",
      "required": [
       "kind",
       "op",
       "task"
      ],
      "properties": {
       "kind": {
        "const": "task"
       },
       "op": {
        "const": "upsert"
       },
       "task": {
        "$ref": "#/components/schemas/Task"
       }
      }
     },
     {
      "type": "object",
      "required": [
       "kind",
       "op",
       "category"
      ],
      "properties": {
       "kind": {
        "const": "category"
       },
       "op": {
        "const": "upsert"
       },
       "category": {
        "$ref": "#/components/schemas/Category"
       }
      }
     },
     {
      "type": "object",
      "required": [
       "kind",
       "op",
       "id"
      ],
      "properties": {
       "kind": {
        "enum": [
         "task",
         "category"
        ]
       },
       "op": {
        "const": "delete"
       },
       "id": {
        "type": "string",
        "format": "uuid"
       }
      }
     }
    ]
   },
   "SyncPage": {
    "type": "object",
    "required": [
     "changes",
     "cursor",
     "has_more"
    ],
    "properties": {
     "changes": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Change"
      },
      "maxItems": 500
     },
     "cursor": {
      "type": "string",
      "pattern": "^[^\\u0000]*$"
     },
     "has_more": {
      "type": "boolean"
     }
    }
   }
  },
  "securitySchemes": {
   "bearer": {
    "type": "http",
    "scheme": "bearer",
    "bearerFormat": "JWT"
   }
  }
 }
}
"""#
}
