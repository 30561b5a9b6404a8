import Foundation
import Synchronization

/// The common types a row reads without its driver's decoder, told apart by identity:
/// comparing `D.self` with `String?.self`, or with `T?.self` for a generic `T`, asked the
/// runtime for the optional's metadata at every value (`swift_getGenericMetadata`, a tenth
/// of a PostgreSQL read's server samples). SQLite's row (`SyncSQLiteRow`) and PostgreSQL's
/// (`HotPostgresRow`) each read their own cell into a `DirectValue`.
enum DirectKind {
    case string, uuid, int, int64, bool, double, date, optionalString, optionalUUID, optionalDate, optionalInt, optionalInt64, optionalBool

    private static let known: [(ObjectIdentifier, DirectKind)] = [
        (ObjectIdentifier(String.self), .string), (ObjectIdentifier(UUID.self), .uuid), (ObjectIdentifier(Int.self), .int),
        (ObjectIdentifier(String?.self), .optionalString), (ObjectIdentifier(Date?.self), .optionalDate),
        (ObjectIdentifier(UUID?.self), .optionalUUID), (ObjectIdentifier(Int?.self), .optionalInt), (ObjectIdentifier(Date.self), .date),
        (ObjectIdentifier(Bool.self), .bool), (ObjectIdentifier(Double.self), .double), (ObjectIdentifier(Int64.self), .int64),
        (ObjectIdentifier(Int64?.self), .optionalInt64), (ObjectIdentifier(Bool?.self), .optionalBool),
    ]

    static func of<D>(_ type: D.Type) -> DirectKind? {
        let id = ObjectIdentifier(type)
        for (known, kind) in known where known == id { return kind }
        return nil
    }
}

/// A value read directly, of the type its `DirectKind` names. Concrete, so that no generic
/// optional is made per value.
enum DirectValue {
    case string(String), uuid(UUID), int(Int), int64(Int64), bool(Bool), double(Double), date(Date)
    case optionalString(String?), optionalUUID(UUID?), optionalDate(Date?), optionalInt(Int?), optionalInt64(Int64?), optionalBool(Bool?)

    /// As `D`, which `DirectKind.of` has said is this value's very type: `unsafeBitCast` is
    /// sound for a type to itself (a cast `as! D` went through the runtime's dynamic cast
    /// for every value).
    func `as`<D>(_ type: D.Type) -> D {
        assert(DirectKind.of(D.self) == kind, "a \(kind) read as \(D.self)")
        return switch self {
        case .string(let v): unsafeBitCast(v, to: D.self)
        case .uuid(let v): unsafeBitCast(v, to: D.self)
        case .int(let v): unsafeBitCast(v, to: D.self)
        case .int64(let v): unsafeBitCast(v, to: D.self)
        case .bool(let v): unsafeBitCast(v, to: D.self)
        case .double(let v): unsafeBitCast(v, to: D.self)
        case .date(let v): unsafeBitCast(v, to: D.self)
        case .optionalString(let v): unsafeBitCast(v, to: D.self)
        case .optionalUUID(let v): unsafeBitCast(v, to: D.self)
        case .optionalDate(let v): unsafeBitCast(v, to: D.self)
        case .optionalInt(let v): unsafeBitCast(v, to: D.self)
        case .optionalInt64(let v): unsafeBitCast(v, to: D.self)
        case .optionalBool(let v): unsafeBitCast(v, to: D.self)
        }
    }

    /// `value` itself when its type is one of the common ones (told by identity, as a row's
    /// are read): a bind's value, without the runtime's dynamic cast to each type in turn,
    /// which with the test for a list was a twentieth of the writer thread's samples on
    /// deadline day (`scripts/rush --perf`).
    init?<V: Encodable & Sendable>(_ value: V) {
        guard let kind = DirectKind.of(V.self) else { return nil }
        switch kind {
        case .string: self = .string(unsafeBitCast(value, to: String.self))
        case .uuid: self = .uuid(unsafeBitCast(value, to: UUID.self))
        case .int: self = .int(unsafeBitCast(value, to: Int.self))
        case .int64: self = .int64(unsafeBitCast(value, to: Int64.self))
        case .bool: self = .bool(unsafeBitCast(value, to: Bool.self))
        case .double: self = .double(unsafeBitCast(value, to: Double.self))
        case .date: self = .date(unsafeBitCast(value, to: Date.self))
        case .optionalString: self = .optionalString(unsafeBitCast(value, to: String?.self))
        case .optionalUUID: self = .optionalUUID(unsafeBitCast(value, to: UUID?.self))
        case .optionalDate: self = .optionalDate(unsafeBitCast(value, to: Date?.self))
        case .optionalInt: self = .optionalInt(unsafeBitCast(value, to: Int?.self))
        case .optionalInt64: self = .optionalInt64(unsafeBitCast(value, to: Int64?.self))
        case .optionalBool: self = .optionalBool(unsafeBitCast(value, to: Bool?.self))
        }
    }

    /// The kind this value is of.
    var kind: DirectKind {
        switch self {
        case .string: .string
        case .uuid: .uuid
        case .int: .int
        case .int64: .int64
        case .bool: .bool
        case .double: .double
        case .date: .date
        case .optionalString: .optionalString
        case .optionalUUID: .optionalUUID
        case .optionalDate: .optionalDate
        case .optionalInt: .optionalInt
        case .optionalInt64: .optionalInt64
        case .optionalBool: .optionalBool
        }
    }
}

/// A result's column names (on SQLite, a kept statement's, for every run), made once and
/// shared by its rows, with each name's position.
///
/// A row is read by name, column after column, mostly in the order of its `SELECT` (or each
/// column asked twice: null?, then its value), so the column after the one found last, or
/// that one again, is tried first with one comparison of the names, and only then the table
/// of positions, which hashes the name: that hashing was 4 % of the initiatives list API's
/// samples. The guess is shared by the threads reading rows of this layout; a wrong one
/// costs a comparison, never a wrong column (a name that is on two columns is not guessed).
final class RowColumns: Sendable {
    let names: [String]
    private let positions: [String: Int]
    private let unique: Bool
    private let last = Atomic<Int>(-1)

    /// Of two columns of one name, the first (as `firstIndex(of:)` finds it), or the last
    /// (as PostgresNIO's own lookup keeps it).
    init(_ names: [String], lastOfAName: Bool = false) {
        self.names = names
        positions = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, last in lastOfAName ? last : first })
        unique = positions.count == names.count
    }

    func position(of name: String) -> Int? {
        if unique {
            let found = last.load(ordering: .relaxed)
            if found + 1 < names.count, names[found + 1] == name {
                last.store(found + 1, ordering: .relaxed)
                return found + 1
            }
            if found >= 0, found < names.count, names[found] == name { return found }
        }
        guard let position = positions[name] else { return nil }
        last.store(position, ordering: .relaxed)
        return position
    }
}
