import Foundation
import Logging
import Fluent
import Vapor

/// Boots the app from the process environment and runs one command; returns the exit status.
public enum DVK {
    public static func run(arguments: [String]) async -> Int32 {
        let config: AppConfig
        do {
            config = try AppConfig.fromEnvironment()
        } catch {
            FileHandle.standardError.write(Data("dvk: \(error)\n".utf8))
            return 2
        }
        let env = Environment(name: ProcessInfo.processInfo.environment["DVK_ENV"] ?? "development", arguments: arguments)
        // Logs go to stderr so that command output (JSON, CSV) on stdout stays clean.
        let level = Logger.Level(rawValue: ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "") ?? (arguments.dropFirst().first == "serve" ? .info : .warning)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let app: Application
        do {
            app = try await Application.make(env)
        } catch {
            FileHandle.standardError.write(Data("dvk: \(error)\n".utf8))
            return 1
        }
        var status: Int32 = 0
        do {
            try await configure(app, config: config)
            try await Actor.$current.withValue(commandActor(arguments)) { try await app.execute() }
        } catch {
            FileHandle.standardError.write(Data("dvk: \(describe(error))\n".utf8))
            status = 1
        }
        try? await app.asyncShutdown()
        return status
    }

    /// A command's changes are the CLI's in the trail; a server's are each request's.
    static func commandActor(_ arguments: [String]) -> Actor? {
        arguments.dropFirst().first == "serve" ? nil : .cli
    }

    static func describe(_ error: any Error) -> String {
        String(describing: error)
    }
}
