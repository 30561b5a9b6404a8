import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A reply of an SMTP server: its code and text (one line, or the lines of a multi-line reply).
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]

    /// "250 2.0.0 Ok: queued as 1234": what the outbox keeps as the server's answer.
    var summary: String { "\(code) " + lines.joined(separator: " / ") }
}

/// Why a delivery did not happen, and whether trying again later may help.
enum SMTPError: Error, Equatable, CustomStringConvertible {
    /// A 4xx reply, a lost connection, a timeout, a TLS failure: try again later.
    case transient(String)
    /// A 5xx reply to the sender, the data or the session: the message will not go as is.
    case permanent(String)
    /// A 5xx reply to RCPT TO: the address itself is refused.
    case recipientRefused(String)

    var description: String {
        switch self {
        case .transient(let m), .permanent(let m), .recipientRefused(let m): m
        }
    }

    var isRetryable: Bool { if case .transient = self { true } else { false } }
}

/// Sends one message to one server: STARTTLS (required unless turned off) or implicit TLS,
/// AUTH PLAIN or LOGIN, MAIL/RCPT/DATA with dot-stuffing. On SwiftNIO and NIOSSL, so no
/// process is started per message and the event loops of the server are reused.
struct SMTPClient: Sendable {
    var server: SMTPServer
    var group: any EventLoopGroup
    /// How long one reply may take; the whole exchange is cut at `sessionLimit`.
    var replyTimeout: TimeAmount = .seconds(120)
    var sessionLimit: TimeAmount = .minutes(5)

    /// Delivers `message` (RFC 5322 bytes, CRLF lines) to `recipient`; returns the server's
    /// answer to the end of DATA.
    func send(from sender: String, to recipient: String, message: Data) async throws -> String {
        let tls = try makeTLSContext()
        let (replies, continuation) = Self.replyStream()
        let host = server.host, implicitTLS = server.security == .implicitTLS, timeout = replyTimeout
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(15))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let ops = channel.pipeline.syncOperations
                        if implicitTLS, let tls {
                            try ops.addHandler(NIOSSLClientHandler(context: tls, serverHostname: Self.sniName(host)))
                        }
                        try ops.addHandler(IdleStateHandler(readTimeout: timeout))
                        try ops.addHandler(ByteToMessageHandler(SMTPLineDecoder()), name: Self.linesName)
                        try ops.addHandler(SMTPReplyHandler(continuation), name: Self.repliesName)
                    }
                }
                .connect(host: host, port: server.port).get()
        } catch {
            throw SMTPError.transient("Không kết nối được tới máy chủ thư \(server.host):\(server.port) (\(error))")
        }
        let limit = channel.eventLoop.scheduleTask(in: sessionLimit) { channel.close(promise: nil) }
        defer {
            limit.cancel()
            channel.close(promise: nil)
        }
        var session = Session(channel: channel, replies: replies.makeAsyncIterator())
        let greeting = try await session.next()
        try session.expect(greeting, "lời chào")
        var capabilities = try await session.ehlo(server.helo)
        switch server.security {
        case .startTLS:
            guard capabilities.contains(where: { $0.uppercased() == "STARTTLS" }) else {
                throw SMTPError.permanent("Máy chủ thư không hỗ trợ STARTTLS (\(capabilities.joined(separator: ", "))); chỉ dùng ?starttls=off với máy chủ chuyển tiếp trên cùng máy.")
            }
            let ready = try await session.command("STARTTLS")
            try session.expect(ready, "STARTTLS")
            guard let tls else { throw SMTPError.permanent("Không tạo được cấu hình TLS.") }
            // Nothing received before the encryption may pass for a reply after it (injected
            // lines: CVE-2011-0411's kind): the readers and what they buffered are dropped,
            // fresh ones read the encrypted session, which starts again with EHLO.
            let (fresh, freshContinuation) = Self.replyStream()
            try await channel.pipeline.removeHandler(name: Self.repliesName).get()
            try await channel.pipeline.removeHandler(name: Self.linesName).get()
            continuation.finish()
            try await channel.eventLoop.submit {
                let ops = channel.pipeline.syncOperations
                try ops.addHandler(NIOSSLClientHandler(context: tls, serverHostname: Self.sniName(host)), position: .first)
                try ops.addHandler(ByteToMessageHandler(SMTPLineDecoder()), name: Self.linesName)
                try ops.addHandler(SMTPReplyHandler(freshContinuation), name: Self.repliesName)
            }.get()
            session.replies = fresh.makeAsyncIterator()
            capabilities = try await session.ehlo(server.helo)
        case .implicitTLS, .none:
            break
        }
        if let user = server.username, let password = server.password {
            try await session.authenticate(user: user, password: password, capabilities: capabilities)
        }
        let mailFrom = try await session.command("MAIL FROM:<\(sender)>")
        try session.expect(mailFrom, "MAIL FROM")
        let rcpt = try await session.command("RCPT TO:<\(recipient)>")
        if rcpt.code >= 500 { throw SMTPError.recipientRefused(rcpt.summary) }
        try await session.expect(rcpt, "RCPT TO")
        let go = try await session.command("DATA")
        guard go.code == 354 else { try session.refuse(go, "DATA") ; throw SMTPError.permanent(go.summary) }
        var buffer = channel.allocator.buffer(capacity: message.count + message.count / 50 + 8)
        Self.dotStuff(message, into: &buffer)
        try await channel.writeAndFlush(buffer)
        let accepted = try await session.next()
        try session.refuse(accepted, "nội dung thư")
        try? await channel.writeAndFlush(ByteBuffer(string: "QUIT\r\n"))
        return accepted.summary
    }

    static let linesName = "smtp-lines", repliesName = "smtp-replies"

    /// Replies as they arrive; a server that sends many more than it was asked for fills the
    /// buffer and the rest are dropped (the conversation then fails on what it reads).
    static func replyStream() -> (AsyncThrowingStream<SMTPReply, any Error>, AsyncThrowingStream<SMTPReply, any Error>.Continuation) {
        AsyncThrowingStream.makeStream(of: SMTPReply.self, bufferingPolicy: .bufferingOldest(16))
    }

    private func makeTLSContext() throws -> NIOSSLContext? {
        guard server.security != .none else { return nil }
        var config = TLSConfiguration.makeClientConfiguration()
        config.minimumTLSVersion = .tlsv12
        if let ca = server.caFile { config.trustRoots = .file(ca) }
        do { return try NIOSSLContext(configuration: config) } catch {
            throw SMTPError.permanent("Cấu hình TLS không dùng được (\(error)).")
        }
    }

    /// SNI carries host names only, never an address.
    static func sniName(_ host: String) -> String? {
        host.allSatisfy({ $0.isNumber || $0 == "." }) || host.contains(":") ? nil : host
    }

    /// The message as DATA wants it: a line starting with "." gets another, bare LF
    /// becomes CRLF, and the end is CRLF "." CRLF.
    static func dotStuff(_ message: Data, into buffer: inout ByteBuffer) {
        var atLineStart = true
        var previous: UInt8 = 0
        for byte in message {
            if byte == UInt8(ascii: "\n"), previous != UInt8(ascii: "\r") { buffer.writeInteger(UInt8(ascii: "\r")) }
            if atLineStart, byte == UInt8(ascii: ".") { buffer.writeInteger(UInt8(ascii: ".")) }
            buffer.writeInteger(byte)
            atLineStart = byte == UInt8(ascii: "\n")
            previous = byte
        }
        if !atLineStart { buffer.writeString("\r\n") }
        buffer.writeString(".\r\n")
    }

    /// One conversation: commands out, replies in, in order.
    private struct Session {
        var channel: any Channel
        var replies: AsyncThrowingStream<SMTPReply, any Error>.AsyncIterator

        mutating func next() async throws -> SMTPReply {
            do {
                guard let reply = try await replies.next() else {
                    throw SMTPError.transient("Máy chủ thư đóng kết nối giữa chừng.")
                }
                return reply
            } catch let error as SMTPError {
                throw error
            } catch {
                throw SMTPError.transient("Kết nối tới máy chủ thư bị lỗi (\(error)).")
            }
        }

        mutating func command(_ line: String) async throws -> SMTPReply {
            try await channel.writeAndFlush(ByteBuffer(string: line + "\r\n"))
            return try await next()
        }

        /// Throws for a 4xx (transient) or 5xx (permanent) reply.
        func refuse(_ reply: SMTPReply, _ step: String) throws {
            switch reply.code {
            case 200..<400: return
            case 400..<500: throw SMTPError.transient("\(step): \(reply.summary)")
            default: throw SMTPError.permanent("\(step): \(reply.summary)")
            }
        }

        func expect(_ reply: SMTPReply, _ step: String) throws { try refuse(reply, step) }

        /// EHLO; the capabilities the server lists (the lines after the greeting line).
        mutating func ehlo(_ name: String) async throws -> [String] {
            let reply = try await command("EHLO \(name)")
            try refuse(reply, "EHLO")
            return Array(reply.lines.dropFirst())
        }

        mutating func authenticate(user: String, password: String, capabilities: [String]) async throws {
            let mechanisms = Set(capabilities.flatMap { line -> [String] in
                let upper = line.uppercased()
                guard upper.hasPrefix("AUTH ") || upper.hasPrefix("AUTH=") else { return [] }
                return upper.dropFirst(5).split(separator: " ").map(String.init)
            })
            if mechanisms.contains("PLAIN") || mechanisms.isEmpty {
                let token = Data("\0\(user)\0\(password)".utf8).base64EncodedString()
                let reply = try await command("AUTH PLAIN \(token)")
                try refuse(reply, "AUTH PLAIN")
            } else if mechanisms.contains("LOGIN") {
                let first = try await command("AUTH LOGIN")
                guard first.code == 334 else { try refuse(first, "AUTH LOGIN"); throw SMTPError.permanent("AUTH LOGIN: \(first.summary)") }
                let second = try await command(Data(user.utf8).base64EncodedString())
                guard second.code == 334 else { try refuse(second, "AUTH LOGIN"); throw SMTPError.permanent("AUTH LOGIN: \(second.summary)") }
                let third = try await command(Data(password.utf8).base64EncodedString())
                try refuse(third, "AUTH LOGIN")
            } else {
                throw SMTPError.permanent("Máy chủ thư chỉ nhận cách đăng nhập \(mechanisms.sorted().joined(separator: ", ")); DVK dùng PLAIN hoặc LOGIN.")
            }
        }
    }
}

/// Splits the server's bytes into lines (without their CRLF).
private struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 4096 { throw SMTPError.transient("Máy chủ thư gửi một dòng quá dài.") }
            return .needMoreData
        }
        let bytes = buffer.readBytes(length: end - buffer.readerIndex + 1) ?? []
        let line = String(decoding: bytes.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }
}

/// Gathers the lines of each reply ("250-…" continues, "250 …" ends) and hands whole
/// replies to the conversation; a closed connection, an error or a silent server ends it.
private final class SMTPReplyHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = String

    private let continuation: AsyncThrowingStream<SMTPReply, any Error>.Continuation
    private var lines: [String] = []

    init(_ continuation: AsyncThrowingStream<SMTPReply, any Error>.Continuation) {
        self.continuation = continuation
    }

    /// Lines of one reply at most (an EHLO lists about a dozen).
    static let maxLines = 100

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        let code = Int(line.prefix(3)) ?? 0
        let separator = line.dropFirst(3).first
        lines.append(String(line.dropFirst(4)))
        guard lines.count <= Self.maxLines else {
            continuation.finish(throwing: SMTPError.transient("Máy chủ thư gửi một câu trả lời quá dài (hơn \(Self.maxLines) dòng)."))
            context.close(promise: nil)
            return
        }
        guard separator != "-" else { return }
        continuation.yield(SMTPReply(code: code, lines: lines))
        lines = []
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            continuation.finish(throwing: SMTPError.transient("Máy chủ thư không trả lời (quá thời gian chờ)."))
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish(throwing: SMTPError.transient("Máy chủ thư đóng kết nối."))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish(throwing: SMTPError.transient("Lỗi kết nối tới máy chủ thư: \(error)"))
        context.close(promise: nil)
    }
}
