import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP, HMAC-SHA1, 6 digits, 30 s
/// steps), as every authenticator app reads them from an `otpauth://` URI.
enum TOTP {
    static let period: TimeInterval = 30
    static let digits = 6
    /// Steps either side of now a code may belong to (a phone's clock a little off).
    static let drift = 1

    /// A new secret: 20 random bytes, as RFC 4226 recommends.
    static func newSecret() -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    static func step(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / period).rounded(.down))
    }

    /// The code of one step.
    static func code(secret: Data, step: Int64) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let value = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let code = value % 1_000_000
        return String(repeating: "0", count: digits - String(code).count) + String(code)
    }

    /// The step `code` belongs to, within `drift` steps of `now`, or nil.
    static func matchingStep(_ code: String, secret: Data, at now: Date) -> Int64? {
        let typed = code.filter { !$0.isWhitespace && $0 != "-" }
        guard typed.count == digits, typed.allSatisfy(\.isASCII), typed.allSatisfy(\.isNumber) else { return nil }
        let current = step(at: now)
        for delta in -Int64(drift)...Int64(drift) where Tokens.equal(Self.code(secret: secret, step: current + delta), typed) {
            return current + delta
        }
        return nil
    }

    /// `otpauth://totp/DVK:username?secret=…&issuer=DVK…`: what an authenticator app scans.
    static func uri(secret: Data, account: String) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~@")
        let label = "DVK:" + (account.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=DVK&algorithm=SHA1&digits=\(digits)&period=\(Int(period))"
    }
}

/// RFC 4648 base 32 without padding, as `otpauth://` URIs carry secrets.
enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    static func encode(_ data: Data) -> String {
        var out = ""
        var buffer = 0, bits = 0
        for byte in data {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
            buffer &= (1 << bits) - 1
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return out
    }

    static func decode(_ text: String) -> Data? {
        var out = Data()
        var buffer = 0, bits = 0
        for character in text.uppercased() where character != "=" {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | value
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
            buffer &= (1 << bits) - 1
        }
        return out
    }
}
