import Foundation

/// Which messages each workflow step sends: the one home of that rule.
enum Notices {
    static func drafts(_ step: RegistrationStore.Step, campaignID: UUID, unitID: UUID, reason: String) -> [OutboxDraft] {
        switch step {
        case .submit, .declare:
            // The email the letter asked units to send, now sent for them; and a receipt.
            [OutboxDraft(kind: .submitted, campaignID: campaignID, unitID: unitID),
             OutboxDraft(kind: .receipt, campaignID: campaignID, unitID: unitID)]
        case .return:
            [OutboxDraft(kind: .returned, campaignID: campaignID, unitID: unitID, note: reason)]
        case .accept:
            [OutboxDraft(kind: .accepted, campaignID: campaignID, unitID: unitID)]
        case .extend:
            []
        }
    }
}
