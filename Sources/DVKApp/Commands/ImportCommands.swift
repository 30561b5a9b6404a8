import Fluent
import DVKCore
import DVKDocuments
import Foundation
import Vapor

struct ImportCommands: AsyncCommandGroup {
    var help: String { "Import units or initiatives from a CSV file" }
    var commands: [String: any AnyAsyncCommand] {
        ["units": ImportUnitsCommand(), "initiatives": ImportInitiativesCommand()]
    }
}

struct ImportUnitsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "CSV with columns code,name,parent_code,kind,email,phone")
        var file: String
    }

    var help: String { "Upsert units by code from a CSV (all or nothing)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let table = try SpreadsheetFile.table(try readFile(signature.file, max: SpreadsheetLimits.file.bytes), limits: .file)
        let result = try await UnitDirectory.importUnits(table, actor: Actors.cli, at: context.application.clock.now(), on: context.application.db)
        context.console.print("units: \(result.created) created, \(result.updated) updated, \(result.unchanged) unchanged"
                              + (result.joined.isEmpty ? "" : "; new units joined: \(result.joined.joined(separator: "; "))"))
        await PlannerStatistics.refresh(after: context)
    }
}

struct ImportInitiativesCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "CSV with columns unit_code,registrant_kind,registrant_name,sector,title[,…]")
        var file: String
        @Option(name: "campaign", help: "The campaign's code")
        var campaign: String?
    }

    var help: String { "Import initiatives into a campaign from a CSV (all or nothing, idempotent)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let campaign = try await CampaignStore.info(code: try signature.campaign.required("campaign"), on: db)
        let table = try SpreadsheetFile.table(try readFile(signature.file, max: SpreadsheetLimits.file.bytes), limits: .file)
        let r = try await InitiativeImporter.run(table, campaign: campaign, actor: Actors.cli, now: context.application.clock.now(), on: db)
        context.console.print("initiatives: \(r.rows) rows, \(r.added) added, \(r.alreadyThere) already there, \(r.registrantsAdded) new registrants, \(r.unitsSubmitted) units submitted")
        if !r.repeatedInFile.isEmpty {
            context.console.print("rows repeating an earlier row of the file (counted once): lines " + r.repeatedInFile.map(String.init).joined(separator: ", "))
        }
        await PlannerStatistics.refresh(after: context)
    }
}

/// A file's bytes, refused before reading when it is bigger than `max`.
func readFile(_ path: String, max: Int) throws -> Data {
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
    guard let size else { throw DomainError.notFound("cannot read file \(path)") }
    guard size <= max else {
        throw DomainError.tooLarge("\(path) is \(size) bytes; an import reads at most \(max) bytes (split the file)")
    }
    guard let data = FileManager.default.contents(atPath: path), data.count <= max else {
        throw DomainError.notFound("cannot read file \(path)")
    }
    return data
}
