import Foundation
import NIOCore

/// A piece of an HTML page, escaped by construction.
///
/// Every string a view hands in — text or an attribute's value — is escaped for where it
/// lands when the page renders. Element and attribute names are `StaticString`s, literals
/// of the code, and links are `Link`s built from `SiteURL` (or a checked `mailto:`/`tel:`),
/// so nothing a user typed can become an element, an attribute or a script URL, and there
/// is no way to put raw markup into a page. (Plot, which the pages used before, writes
/// attribute values unescaped.)
struct Node: Sendable {
    fileprivate enum Content: Sendable {
        case element(StaticString, [Node], isVoid: Bool)
        /// A nil value is a boolean attribute (`required`).
        case attribute(StaticString, String?)
        case text(String)
        case group([Node])
    }

    fileprivate let content: Content

    private init(_ content: Content) { self.content = content }

    // MARK: The four kinds of node

    static func element(_ name: StaticString, _ children: [Node]) -> Node {
        Node(.element(name, children, isVoid: false))
    }

    /// An element with no content and no end tag (`input`, `br`, `meta`).
    static func voidElement(_ name: StaticString, _ attributes: [Node]) -> Node {
        Node(.element(name, attributes, isVoid: true))
    }

    static func attribute(_ name: StaticString, _ value: String) -> Node {
        Node(.attribute(name, value))
    }

    static func attribute(_ name: StaticString, present: Bool) -> Node {
        present ? Node(.attribute(name, nil)) : .empty
    }

    static func text(_ text: String) -> Node { Node(.text(text)) }

    static func group(_ nodes: [Node]) -> Node { Node(.group(nodes)) }
    static func group(_ nodes: Node...) -> Node { Node(.group(nodes)) }
    static let empty = Node(.group([]))

    // MARK: Composition

    static func `if`(_ condition: Bool, _ node: @autoclosure () -> Node, else other: @autoclosure () -> Node = .empty) -> Node {
        condition ? node() : other()
    }

    static func unwrap<T>(_ value: T?, _ transform: (T) -> Node, else other: Node = .empty) -> Node {
        value.map(transform) ?? other
    }

    static func forEach<S: Sequence>(_ items: S, _ transform: (S.Element) -> Node) -> Node {
        .group(items.map(transform))
    }

    // MARK: Rendering

    /// The page as text; `<!DOCTYPE html>` first when the node is the `html` element.
    /// Rendered into one byte buffer, names written from their literals' bytes: appending
    /// to a `String`, with a `String` made for every element's name, was half of rendering.
    func render() -> String {
        String(buffer: page().buffer)
    }

    /// The same bytes, kept as bytes for a response: a page made into a `String` was
    /// checked as UTF-8 and copied again, a twentieth of the dashboard's time.
    func page() -> HTMLPage {
        var out = PageWriter(capacity: 16_384)
        if case .element(let name, _, _) = content, Self.same(name, "html") { out.append("<!DOCTYPE html>") }
        render(into: &out)
        return HTMLPage(buffer: out.buffer())
    }

    private func render(into out: inout PageWriter) {
        switch content {
        case .text(let text):
            HTMLEscape.attribute(text, into: &out)
        case .group(let nodes):
            // Attributes outside an element have nowhere to go and are dropped.
            Self.render(nodes, into: &out)
        case .attribute:
            break
        case .element(let name, let children, let isVoid):
            out.append(UInt8(ascii: "<"))
            out.append(name)
            if Self.plainAttributes(children, top: true) {
                // Each attribute once, all among the children themselves: written as they come.
                for node in children {
                    if case .attribute(let attribute, let value) = node.content { Self.write(attribute, value, to: &out) }
                }
            } else {
                var attributes: [(StaticString, String?)] = []
                Self.collect(children, attributes: &attributes)
                for (attribute, value) in attributes { Self.write(attribute, value, to: &out) }
            }
            out.append(UInt8(ascii: ">"))
            guard !isVoid else { return }
            // The content: the children as a group renders them, attributes left out.
            Self.render(children, into: &out)
            out.append(UInt8(ascii: "<"))
            out.append(UInt8(ascii: "/"))
            out.append(name)
            out.append(UInt8(ascii: ">"))
        }
    }

    /// Each node in turn, borrowed from the array's storage: a loop over the array copied
    /// every node out of it, retaining what it holds.
    private static func render(_ nodes: [Node], into out: inout PageWriter) {
        nodes.withUnsafeBufferPointer { nodes in
            for index in nodes.indices { nodes[index].render(into: &out) }
        }
    }

    private static func write(_ attribute: StaticString, _ value: String?, to out: inout PageWriter) {
        out.append(UInt8(ascii: " "))
        out.append(attribute)
        if let value {
            out.append(UInt8(ascii: "="))
            out.append(UInt8(ascii: "\""))
            HTMLEscape.attribute(value, into: &out)
            out.append(UInt8(ascii: "\""))
        }
    }

    /// Whether an element's attributes are all its own children (none inside a group) and
    /// each name comes once: the common case, written without gathering them first (an
    /// array per element was a twentieth of the dashboard's samples).
    private static func plainAttributes(_ nodes: [Node], top: Bool) -> Bool {
        for (index, node) in nodes.enumerated() {
            switch node.content {
            case .attribute(let name, _):
                guard top else { return false }
                for earlier in nodes[..<index] {
                    if case .attribute(let other, _) = earlier.content, same(other, name) { return false }
                }
            case .group(let inner):
                guard plainAttributes(inner, top: false) else { return false }
            default:
                break
            }
        }
        return true
    }

    /// Two names are the same text (two literals of one name need not share their bytes).
    private static func same(_ a: StaticString, _ b: StaticString) -> Bool {
        a.withUTF8Buffer { x in b.withUTF8Buffer { y in x.count == y.count && (x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0) } }
    }

    /// An element's attributes, from any depth of groups; a class given twice is joined, any
    /// other attribute given twice keeps its last value. (Its content is rendered from the
    /// children themselves: copying it out into an array of its own was an allocation per
    /// element.)
    private static func collect(_ nodes: [Node], attributes: inout [(StaticString, String?)]) {
        for node in nodes {
            switch node.content {
            case .attribute(let name, let value):
                if let index = attributes.firstIndex(where: { same($0.0, name) }) {
                    if same(name, "class"), let old = attributes[index].1, let value {
                        attributes[index].1 = old + " " + value
                    } else {
                        attributes[index].1 = value
                    }
                } else {
                    attributes.append((name, value))
                }
            case .group(let inner):
                collect(inner, attributes: &attributes)
            default:
                break
            }
        }
    }
}

/// A rendered page, as the UTF-8 bytes a response sends (`Layout.response`).
struct HTMLPage: Sendable {
    let buffer: ByteBuffer
}

/// A page's bytes as they are rendered: one allocation, doubled when full, written through
/// its pointer. Appending to an `[UInt8]` checked the array's uniqueness and capacity at
/// each of a page's thousands of small appends (a tag's `<`, its name, an attribute): 5 %
/// of the dashboard's samples. The bytes are copied once, into the response's buffer.
struct PageWriter: ~Copyable {
    private var start: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        start = .allocate(capacity: self.capacity)
    }

    deinit { start.deallocate() }

    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        start[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let from = bytes.baseAddress, !bytes.isEmpty else { return }
        if bytes.count > capacity - count { grow(to: count + bytes.count) }
        (start + count).initialize(from: from, count: bytes.count)
        count += bytes.count
    }

    mutating func append(_ literal: StaticString) {
        literal.withUTF8Buffer { append($0) }
    }

    private mutating func grow(to needed: Int) {
        var larger = capacity
        while larger < needed { larger *= 2 }
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.initialize(from: start, count: count)
        start.deallocate()
        start = moved
        capacity = larger
    }

    /// The bytes written, read in place.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: start, count: count))
    }

    /// The bytes written, in a buffer of their own.
    func buffer() -> ByteBuffer {
        withBytes { bytes in
            var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
            buffer.writeBytes(UnsafeRawBufferPointer(bytes))
            return buffer
        }
    }
}

extension Node: ExpressibleByStringLiteral {
    init(stringLiteral value: String) { self = .text(value) }
}

/// Escaping for the two places a value can land in HTML. Both escape every character
/// that could end the context or start markup, so one rule serves text and any
/// double-quoted attribute.
enum HTMLEscape {
    static func text(_ s: String, into out: inout String) {
        attribute(s, into: &out)
    }

    /// By UTF-8 bytes (the five characters are ASCII, and no byte of a longer character is
    /// ASCII): a value with none of them is appended whole, the rest through the bytes'
    /// escaping below. Appending scalar by scalar was a tenth of the dashboard's time.
    static func attribute(_ s: String, into out: inout String) {
        guard needsEntities(s) else { return out += s }
        var page = PageWriter(capacity: s.utf8.count + 16)
        attribute(s, into: &page)
        page.withBytes { out += String(decoding: $0, as: UTF8.self) }
    }

    /// The same, into a page's bytes: one pass over the string's own storage, the runs
    /// between the five copied whole (a scan, then a copy through the string's UTF-8 view,
    /// was most of rendering's own time).
    static func attribute(_ s: String, into out: inout PageWriter) {
        var s = s
        s.withUTF8 { append(escaping: $0, to: &out) }
    }

    private static func append(escaping bytes: UnsafeBufferPointer<UInt8>, to out: inout PageWriter) {
        var start = 0
        for (index, byte) in bytes.enumerated() where isSpecial(byte) {
            if start < index { out.append(UnsafeBufferPointer(rebasing: bytes[start..<index])) }
            entities[Int(byte)]!.withUnsafeBufferPointer { out.append($0) }
            start = index + 1
        }
        if start < bytes.count { out.append(UnsafeBufferPointer(rebasing: bytes[start...])) }
    }

    /// Whether a byte is one of the five, all below 0x40: bit n of `specials` is byte n.
    static func isSpecial(_ byte: UInt8) -> Bool {
        byte < 0x40 && specials & (1 << UInt64(byte)) != 0
    }

    /// `"` 0x22, `&` 0x26, `'` 0x27, `<` 0x3C and `>` 0x3E (a literal, so no lazy global is
    /// checked at every byte; `WebTests` holds it to the five).
    static let specials: UInt64 = 0x5000_00C4_0000_0000

    /// Whether a byte of `s` is one of the five, scanned in the string's own storage.
    private static func needsEntities(_ s: String) -> Bool {
        s.utf8.withContiguousStorageIfAvailable { $0.contains(where: isSpecial) } ?? s.utf8.contains(where: isSpecial)
    }

    /// Each byte's entity, for the five that have one.
    private static let entities: [[UInt8]?] = (0..<256).map { byte in
        switch byte {
        case 0x26: Array("&amp;".utf8)
        case 0x3C: Array("&lt;".utf8)
        case 0x3E: Array("&gt;".utf8)
        case 0x22: Array("&quot;".utf8)
        case 0x27: Array("&#39;".utf8)
        default: nil
        }
    }

    static func escaped(_ s: String) -> String {
        var out = ""
        attribute(s, into: &out)
        return out
    }
}
