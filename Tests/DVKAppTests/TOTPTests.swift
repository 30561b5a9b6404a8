import Foundation
import Testing
@testable import DVKApp

/// RFC 6238's test vectors (SHA-1, the 20-byte secret "12345678901234567890"), six digits.
@Suite struct TOTPTests {
    static let secret = Data("12345678901234567890".utf8)

    @Test(arguments: [(59, "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"), (1_234_567_890, "005924"),
                      (2_000_000_000, "279037"), (20_000_000_000, "353130")])
    func theRFCsVectors(time: Int, code: String) {
        #expect(TOTP.code(secret: Self.secret, step: TOTP.step(at: Date(timeIntervalSince1970: TimeInterval(time)))) == code)
    }

    @Test func aCodeIsAcceptedOneStepEitherSideAndNoFurther() {
        let now = Date(timeIntervalSince1970: 1_111_111_111)
        let step = TOTP.step(at: now)
        for delta: Int64 in [-1, 0, 1] {
            #expect(TOTP.matchingStep(TOTP.code(secret: Self.secret, step: step + delta), secret: Self.secret, at: now) == step + delta)
        }
        #expect(TOTP.matchingStep(TOTP.code(secret: Self.secret, step: step + 2), secret: Self.secret, at: now) == nil)
        #expect(TOTP.matchingStep(TOTP.code(secret: Self.secret, step: step - 2), secret: Self.secret, at: now) == nil)
        #expect(TOTP.matchingStep("12345", secret: Self.secret, at: now) == nil)
        #expect(TOTP.matchingStep("abcdef", secret: Self.secret, at: now) == nil)
        #expect(TOTP.matchingStep(String(TOTP.code(secret: Self.secret, step: step).prefix(3)) + " " + TOTP.code(secret: Self.secret, step: step).suffix(3),
                                  secret: Self.secret, at: now) == step)
    }

    @Test func base32AndTheURI() {
        #expect(Base32.encode(Self.secret) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        #expect(Base32.decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ") == Self.secret)
        #expect(Base32.decode("not base32!") == nil)
        let uri = TOTP.uri(secret: Self.secret, account: "ngoclam")
        #expect(uri == "otpauth://totp/DVK:ngoclam?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=DVK&algorithm=SHA1&digits=6&period=30")
    }
}
