import DVKCore
import Foundation
import NIOCore
import NIOHTTP1
import Vapor

/// An answer the API gives often, written to JSON by hand: byte for byte what
/// `JSONCoding.encoder()` writes for it (sorted keys, unescaped slashes; a test holds the two
/// equal on random values, so a field added to the type and not here fails it). Foundation's
/// encoder builds a tree of boxed values through generic containers and sorts every
/// object's keys on each call: a sixth of the initiatives list API's CPU (`scripts/bench-reads
/// --perf`).
protocol DirectJSON: Encodable {
    func write(json: inout JSONOut)
}

extension Array: DirectJSON where Element: DirectJSON {
    func write(json: inout JSONOut) {
        json.byte(UInt8(ascii: "["))
        for (index, element) in enumerated() {
            if index > 0 { json.byte(UInt8(ascii: ",")) }
            element.write(json: &json)
        }
        json.byte(UInt8(ascii: "]"))
    }
}

/// JSON being written: objects' keys are written in the order given (sorted by the caller).
struct JSONOut {
    var bytes: [UInt8] = []

    init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    mutating func byte(_ byte: UInt8) { bytes.append(byte) }

    /// `{`, or `,` before a later key, then `"key":`.
    mutating func key(_ key: StaticString, first: Bool = false) {
        bytes.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func end() { bytes.append(UInt8(ascii: "}")) }

    mutating func null() { bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }

    mutating func bool(_ value: Bool) {
        bytes.append(contentsOf: value ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6C, 0x73, 0x65])
    }

    mutating func int(_ value: Int) {
        var text = value.description
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func string(_ value: String?) {
        guard let value else { return null() }
        string(value)
    }

    mutating func uuid(_ value: UUID?) {
        guard let value else { return null() }
        bytes.append(UInt8(ascii: "\""))
        var text = value.canonicalText
        text.withUTF8 { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A string in quotes: `"` and `\` escaped, the control characters as Foundation
    /// writes them (`\n`, `\r`, `\t`, `\b`, `\f`, else `\u00XX`); the rest as its UTF-8.
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = value
        text.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                default:
                    let hex: StaticString = "0123456789abcdef"
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    hex.withUTF8Buffer { digits in
                        bytes.append(digits[Int(byte >> 4)])
                        bytes.append(digits[Int(byte & 0x0F)])
                    }
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// The API's JSON: a `DirectJSON` value written by hand, anything else by `JSONCoding`'s
/// encoder. Decoding stays Foundation's.
struct DirectJSONContentEncoder: ContentEncoder {
    let fallback: JSONEncoder

    func encode<E: Encodable>(_ encodable: E, to body: inout ByteBuffer, headers: inout HTTPHeaders) throws {
        try encode(encodable, to: &body, headers: &headers, userInfo: [:])
    }

    func encode<E: Encodable>(_ encodable: E, to body: inout ByteBuffer, headers: inout HTTPHeaders,
                              userInfo: [CodingUserInfoKey: any Sendable]) throws {
        guard userInfo.isEmpty, let direct = encodable as? any DirectJSON else {
            return try fallback.encode(encodable, to: &body, headers: &headers, userInfo: userInfo)
        }
        headers.contentType = .json
        var json = JSONOut()
        direct.write(json: &json)
        body.writeBytes(json.bytes)
    }
}

extension APIInitiative: DirectJSON {
    func write(json: inout JSONOut) {
        json.key("content", first: true); json.string(content)
        json.key("continues"); json.uuid(continues)
        json.key("continuity"); json.string(continuity.rawValue)
        json.key("createdAt"); json.string(createdAt)
        json.key("endDate"); json.string(endDate)
        json.key("expectedResult"); json.string(expectedResult)
        json.key("id"); json.uuid(id)
        json.key("kind"); json.string(kind.rawValue)
        json.key("personInCharge"); json.string(personInCharge)
        json.key("purpose"); json.string(purpose)
        json.key("registrantName"); json.string(registrantName)
        json.key("registrantTitle"); json.string(registrantTitle)
        json.key("reviewComment"); json.string(reviewComment)
        json.key("scope"); json.string(scope)
        json.key("sector"); json.string(sector)
        json.key("startDate"); json.string(startDate)
        json.key("title"); json.string(title)
        json.key("unit"); json.string(unit)
        json.key("updatedAt"); json.string(updatedAt)
        json.end()
    }
}

extension SummaryDTO: DirectJSON {
    func write(json: inout JSONOut) {
        json.key("campaign", first: true); json.string(campaign)
        json.key("distinct"); distinct.write(json: &json)
        json.key("rows"); rows.write(json: &json)
        json.key("total"); total.write(json: &json)
        json.key("unit"); unit.write(json: &json)
        json.end()
    }
}

extension SummaryDTO.Distinct: DirectJSON {
    func write(json: inout JSONOut) {
        json.key("collectives", first: true); json.int(collectives)
        json.key("individuals"); json.int(individuals)
        json.end()
    }
}

extension SummaryDTO.Row: DirectJSON {
    func write(json: inout JSONOut) {
        json.key("collectiveInitiatives", first: true); json.int(collectiveInitiatives)
        json.key("collectives"); json.int(collectives)
        json.key("individualInitiatives"); json.int(individualInitiatives)
        json.key("individuals"); json.int(individuals)
        json.key("name"); json.string(name)
        json.key("sector"); json.string(sector)
        json.end()
    }
}

extension SummaryDTO.Total: DirectJSON {
    func write(json: inout JSONOut) {
        json.key("collectiveInitiatives", first: true); json.int(collectiveInitiatives)
        json.key("collectives"); json.int(collectives)
        json.key("individualInitiatives"); json.int(individualInitiatives)
        json.key("individuals"); json.int(individuals)
        json.end()
    }
}

extension SummaryDTO.UnitRef: DirectJSON {
    func write(json: inout JSONOut) {
        json.key("code", first: true); json.string(code)
        json.key("name"); json.string(name)
        json.end()
    }
}

/// Each item of `GET /api/v1/campaigns`: a city's administrator lists thousands.
extension APICampaign: DirectJSON {
    func write(json: inout JSONOut) {
        json.key("acceptsLate", first: true); json.bool(acceptsLate)
        json.key("canRun"); json.bool(canRun)
        json.key("code"); json.string(code)
        json.key("deadline"); json.string(deadline)
        json.key("issuedOn"); json.string(issuedOn)
        json.key("issuer"); issuer.write(json: &json)
        json.key("number"); json.string(number)
        json.key("scope"); scope.write(json: &json)
        json.key("sectors"); sectors.write(json: &json)
        json.key("signer"); signer.write(json: &json)
        json.key("state"); json.string(state.rawValue)
        json.key("title"); json.string(title)
        json.key("year"); json.int(year)
        json.end()
    }
}

extension APIUnitRef: DirectJSON {
    func write(json: inout JSONOut) {
        json.key("code", first: true); json.string(code)
        json.key("kind"); json.string(kind.rawValue)
        json.key("name"); json.string(name)
        json.end()
    }
}

extension APISector: DirectJSON {
    func write(json: inout JSONOut) {
        json.key("code", first: true); json.string(code)
        json.key("name"); json.string(name)
        json.end()
    }
}

extension APISigner: DirectJSON {
    func write(json: inout JSONOut) {
        json.key("authority", first: true); json.string(authority)
        json.key("name"); json.string(name)
        json.key("title"); json.string(title)
        json.end()
    }
}
