import Foundation
import NIOCore
import NIOPosix
@testable import DVKApp

/// A writer and a read-only connection on one new file (`directory`/a.sqlite), in a
/// directory of their own, on one loop: closed, and the directory removed, after `body`.
func withWriterAndReader<T>(_ name: String,
                            _ body: (_ directory: URL, _ loop: any EventLoop, _ writer: SyncSQLiteConnection, _ reader: SyncSQLiteConnection) async throws -> T)
    async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dvk-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("a.sqlite").path
    let loop = MultiThreadedEventLoopGroup.singleton.next()
    let writer = SyncSQLiteConnection(path: path, loop: loop)
    defer { try? loop.submit { writer.close() }.wait() }
    let reader = SyncSQLiteConnection(path: path, loop: loop, readOnly: true)
    defer { try? loop.submit { reader.close() }.wait() }
    return try await body(directory, loop, writer, reader)
}
