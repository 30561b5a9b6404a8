import Foundation

/// Where a unit stands in the trade-union tree: a federation (any level above the
/// grassroots) or a grassroots union (CĐCS), the only kind that registers initiatives.
public enum UnitKind: String, Codable, Sendable, CaseIterable {
    case federation
    case grassroots

    /// Accepts "federation"/"grassroots" and the Vietnamese words, in any case, with or without diacritics.
    public init?(parsing text: String) {
        switch VietnameseText.searchKey(text) {
        case "federation", "lien doan", "lien doan lao dong", "ldld", "cong doan cap tren", "cong doan nganh": self = .federation
        case "grassroots", "cdcs", "cong doan co so": self = .grassroots
        default: return nil
        }
    }

    public var label: String {
        switch self {
        case .federation: "Công đoàn cấp trên"
        case .grassroots: "Công đoàn cơ sở"
        }
    }
}

/// A unit of the tree as it is now (not as a campaign saw it).
public struct UnitNode: Hashable, Sendable {
    public var id: UUID
    public var code: String
    public var name: String
    public var kind: UnitKind
    public var parentID: UUID?

    public init(id: UUID, code: String, name: String, kind: UnitKind, parentID: UUID?) {
        self.id = id
        self.code = code
        self.name = name
        self.kind = kind
        self.parentID = parentID
    }
}

/// One unit in a campaign's frozen copy of the tree. `pre` numbers the copy in
/// pre-order (children by code) and `last` is the largest `pre` in its subtree,
/// so "every unit under X" is the range `X.pre...X.last`.
public struct SnapshotUnit: Hashable, Sendable, Codable {
    public var unitID: UUID
    public var parentID: UUID?
    public var code: String
    public var name: String
    public var kind: UnitKind
    public var depth: Int
    public var pre: Int
    public var last: Int
    public var isTarget: Bool

    public init(unitID: UUID, parentID: UUID?, code: String, name: String, kind: UnitKind,
                depth: Int, pre: Int, last: Int, isTarget: Bool) {
        self.unitID = unitID
        self.parentID = parentID
        self.code = code
        self.name = name
        self.kind = kind
        self.depth = depth
        self.pre = pre
        self.last = last
        self.isTarget = isTarget
    }

    public func contains(_ other: SnapshotUnit) -> Bool { (pre...last).contains(other.pre) }
}

public enum UnitTree {
    /// Freezes the subtree under `rootID`: every unit with its place, numbered in
    /// pre-order with children ordered by code. Targets default to every grassroots unit;
    /// pass `targets` to choose. Fails if the tree under the root has a cycle.
    public static func snapshot(of nodes: [UnitNode], rootID: UUID, targets: Set<UUID>? = nil) throws -> [SnapshotUnit] {
        let byID = Dictionary(nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        guard let root = byID[rootID] else { throw DomainError.notFound("Không tìm thấy đơn vị phát động.") }
        var children: [UUID: [UnitNode]] = [:]
        for node in nodes { if let p = node.parentID { children[p, default: []].append(node) } }
        for key in children.keys { children[key]!.sort { $0.code.localizedStandardCompare($1.code) == .orderedAscending } }

        var out: [SnapshotUnit] = []
        out.reserveCapacity(nodes.count)
        var seen: Set<UUID> = []
        // Iterative DFS: trees can be deep and wide; no recursion limit to hit.
        var stack: [(node: UnitNode, depth: Int, parent: UUID?, exiting: Bool, index: Int)] = [(root, 0, root.parentID, false, -1)]
        while let frame = stack.popLast() {
            if frame.exiting {
                out[frame.index].last = out.count - 1
                continue
            }
            guard seen.insert(frame.node.id).inserted else {
                throw DomainError.invalid("Cây đơn vị có vòng lặp tại \(frame.node.code).")
            }
            let isTarget = targets.map { $0.contains(frame.node.id) } ?? (frame.node.kind == .grassroots)
            out.append(SnapshotUnit(unitID: frame.node.id, parentID: frame.parent, code: frame.node.code,
                                    name: frame.node.name, kind: frame.node.kind, depth: frame.depth,
                                    pre: out.count, last: out.count, isTarget: isTarget && frame.node.kind == .grassroots))
            stack.append((frame.node, frame.depth, frame.parent, true, out.count - 1))
            for child in (children[frame.node.id] ?? []).reversed() {
                stack.append((child, frame.depth + 1, frame.node.id, false, -1))
            }
        }
        return out
    }

    /// True when making `newParentID` the parent of `unitID` would put the unit under itself.
    public static func wouldCycle(moving unitID: UUID, under newParentID: UUID?, parents: [UUID: UUID?]) -> Bool {
        var current = newParentID
        var steps = 0
        while let id = current {
            if id == unitID { return true }
            current = parents[id] ?? nil
            steps += 1
            if steps > parents.count + 1 { return true }
        }
        return false
    }
}

/// How a unit leaves the live tree. Its row stays, with its name and place, for the
/// campaigns and the trail that name it; it no longer takes accounts, units or campaigns.
public enum UnitEnding: Sendable, Equatable {
    /// The unit is gone: it must have no unit below it any more.
    case dissolve
    /// The unit joins another of its kind, which takes the units below it.
    case merge(into: Target)

    /// The unit that takes a merged one, as the rule needs to see it.
    public struct Target: Sendable, Equatable {
        public var kind: UnitKind
        /// Where it stands from the actor's unit.
        public var reach: Reach
        /// The merged unit itself, or a unit below it.
        public var insideMerged: Bool

        public init(kind: UnitKind, reach: Reach, insideMerged: Bool) {
            self.kind = kind
            self.reach = reach
            self.insideMerged = insideMerged
        }
    }
}

/// Who may end a unit, and when: the one rule the unit pages ask. A unit is
/// ended by staff or an administrator above it (never their own unit, which their own
/// superior ends); a dissolved unit has no unit below it left; a unit merges only into a
/// live unit of its kind inside the actor's reach and outside the merged unit's subtree.
/// Its accounts are then disabled (`AccountRules.endedUnit`).
public enum TreeRules {
    public static func endRefusal(_ ending: UnitEnding, by actor: Role, unitReach: Reach, unitKind: UnitKind,
                                  liveChildren: Int) -> String? {
        guard actor.manages else { return "Chỉ cán bộ công đoàn cấp trên và quản trị viên giải thể hoặc sáp nhập đơn vị." }
        switch unitReach {
        case .own: return "Không thể giải thể hay sáp nhập đơn vị của chính mình; việc này do cấp trên thực hiện."
        case .outside: return "Đơn vị này ngoài phạm vi quản lý của tài khoản."
        case .below: break
        }
        switch ending {
        case .dissolve:
            if liveChildren > 0 {
                return "Đơn vị còn \(VietnameseText.number(liveChildren)) đơn vị trực thuộc. Hãy chuyển các đơn vị này sang cấp trên khác, "
                    + "hoặc sáp nhập đơn vị vào một công đoàn cấp trên (các đơn vị trực thuộc sẽ chuyển theo)."
            }
        case .merge(let target):
            if target.insideMerged {
                return "Không thể sáp nhập đơn vị vào chính nó hoặc vào một đơn vị trực thuộc nó."
            }
            if target.reach == .outside { return "Đơn vị nhận sáp nhập ở ngoài phạm vi quản lý của tài khoản." }
            if target.kind != unitKind {
                return "Chỉ sáp nhập vào đơn vị cùng loại: \(unitKind.label.lowercased()) sáp nhập vào \(unitKind.label.lowercased())."
            }
        }
        return nil
    }
}
