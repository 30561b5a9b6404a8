import DVKCore
import FluentKit
import Foundation

/// `/units/new`: adds a unit under a federation of the user's subtree.
enum UnitNew {
    struct Model: Sendable {
        var user: CurrentUser
        var form: UnitFields
        var errors: FieldErrors
        /// The name of the parent the form names, when it is one the user reaches.
        var parentName: String?
    }

    static func query(user: CurrentUser, form: UnitFields, errors: FieldErrors = FieldErrors(), on db: any Database) async throws -> Model {
        var parentName: String?
        if !form.parentCode.isEmpty, let parent = try await Unit.query(on: db).filter(\.$code == form.parentCode).first(),
           try await UnitEditor.chain(from: parent, upTo: user.unitID, on: db) != nil {
            parentName = parent.name
        }
        return Model(user: user, form: form, errors: errors, parentName: parentName)
    }
}
