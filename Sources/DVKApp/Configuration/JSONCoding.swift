import Foundation
import Vapor

/// One JSON style everywhere: sorted keys and unescaped slashes, so the API and the CLI
/// print the same bytes for the same value (`26/LĐLĐ`, not `26\/LĐLĐ`).
enum JSONCoding {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func useForContent() {
        ContentConfiguration.global.use(encoder: DirectJSONContentEncoder(fallback: encoder()), for: .json)
    }
}
