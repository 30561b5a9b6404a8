import FluentKit
import FluentSQL
import SQLKit

/// What a review needs to see and a commission to record: the fields of a model changed
/// since its unit's work was returned; a verdict that overrides the criteria, with its
/// reason; a nomination's own document number and day.
struct AddReviewTrail: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("initiatives").field("changed_fields", .string, .required, .sql(.default(""))).update()
        try await database.schema("verifications").field("override_reason", .string, .required, .sql(.default(""))).update()
        try await database.schema("nominations").field("document_number", .string, .required, .sql(.default(""))).update()
        try await database.schema("nominations").field("document_date", .string, .required, .sql(.default(""))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("nominations").deleteField("document_date").update()
        try await database.schema("nominations").deleteField("document_number").update()
        try await database.schema("verifications").deleteField("override_reason").update()
        try await database.schema("initiatives").deleteField("changed_fields").update()
    }
}
