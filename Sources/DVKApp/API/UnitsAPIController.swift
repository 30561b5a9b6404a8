import DVKCore
import Fluent
import FluentKit
import Foundation
import Vapor

/// Who is asking, and the live unit tree below them.
struct UnitsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.getMe, use: me)
        routes.on(.listUnits, use: units)
        routes.on(.getUnit, use: unit)
    }

    @Sendable func me(req: Request) async throws -> APIMe {
        APIMe(try req.requireUser())
    }

    /// The caller's subtree, flat, in pre-order; each unit names its parent.
    @Sendable func units(req: Request) async throws -> [APIUnitListItem] {
        let user = try req.requireUser()
        let tree = try UnitTree.snapshot(of: try await UnitDirectory.allNodes(on: req.database), rootID: user.unitID)
        let codes = Dictionary(tree.map { ($0.unitID, $0.code) }, uniquingKeysWith: { a, _ in a })
        return tree.map { u in
            APIUnitListItem(code: u.code, name: u.name, kind: u.kind,
                            parent: u.pre == 0 ? nil : u.parentID.flatMap { codes[$0] }, depth: u.depth)
        }
    }

    @Sendable func unit(req: Request) async throws -> APIUnit {
        let user = try req.requireUser()
        let unit = try await Access.unit(code: try req.parameters.require("unit"), user: user, on: req.database)
        let id = try unit.requireID()
        let children = try await Unit.query(on: req.database).filter(\.$parentID == id).filter(\.$endedAt == nil).sort(\.$code).all()
        // Above the caller's own unit is out of reach: its parent is not named.
        var parent: String?
        if id != user.unitID, let parentID = unit.parentID {
            parent = try await Unit.find(parentID, on: req.database)?.code
        }
        return APIUnit(code: unit.code, name: unit.name, kind: unit.kind, parent: parent, email: unit.email,
                       phone: unit.phone, children: children.map { APIUnitRef(code: $0.code, name: $0.name, kind: $0.kind) },
                       endedAt: unit.endedAt.map(VietnamTime.iso),
                       mergedInto: try await unit.mergedIntoID.asyncMap { try await Unit.find($0, on: req.database)?.code } ?? nil)
    }
}
