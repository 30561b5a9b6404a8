import Foundation

/// What a backup holds: every table that keeps DVK's data, each column with the kind of
/// value it stores, so that the file is the same whichever database wrote it and loads
/// into either. `BackupTests` checks this list against the schema the migrations make, so
/// a column added later without a line here fails the tests.
///
/// Left out on purpose: browser sessions, the pending second steps of sign-ins, forms'
/// one-time keys and the sign-in throttle (people sign in again
/// after a restore; a restored session would outlive its owner's intent), and Fluent's own
/// migration log (the restoring binary migrates its database itself).
enum BackupTables {
    enum Kind: Character, Sendable {
        case uuid = "u", text = "s", int = "i", bool = "b", date = "d", data = "x"
    }

    struct Table: Sendable {
        var name: String
        var columns: [(name: String, kind: Kind)]
        /// Rows must be inserted parents first (a column referring to the same table).
        var parentColumn: String?
        /// The columns that order the rows (the key): a backup of the same data is the same
        /// bytes, from either database.
        var order: [String]
    }

    /// In an order that satisfies the foreign keys.
    static let all: [Table] = [
        table("units", "id:u code:s name:s kind:s parent_id:u email:s phone:s created_at:d updated_at:d ended_at:d merged_into_id:u signer_title:s signer_name:s",
              parent: "parent_id"),
        table("campaigns", """
            id:u code:s issuer_id:u year:i title:s number:s issued_on:s place:s subject:s addressees:s recipients:s body:s sectors:s \
            deadline:d accepts_late:b all_targets:b signer_authority:s signer_title:s signer_name:s state:s issuer_name:s superior_name:s \
            synced_at:d created_at:d updated_at:d reminder_days:s reminder_time:s criteria:s basis:s
            """),
        table("campaign_units", """
            id:u campaign_id:u unit_id:u parent_unit_id:u code:s name:s kind:s depth:i pre:i last:i is_target:b extended_until:d search_key:s
            """),
        table("registrants", "id:u unit_id:u kind:s name:s name_key:s title:s created_at:d"),
        table("initiatives", """
            id:u campaign_id:u unit_id:u registrant_id:u sector_code:s title:s title_key:s purpose:s content:s scope:s start_date:s \
            end_date:s expected_result:s person_in_charge:s continuity:s continues_id:u search_key:s created_at:d updated_at:d review_comment:s replicates_id:u changed_fields:s
            """),
        table("submissions", """
            id:u campaign_id:u unit_id:u status:s no_model:b submitted_at:d return_reason:s updated_at:d first_submitted_at:d resubmit_by:d \
            extended_until:d phase:s late:b resubmitted_late:b version:i
            """),
        table("submission_events", "id:u submission_id:u at:d actor:s action:s from_status:s to_status:s note:s"),
        table("summary_counts", """
            campaign_id:u unit_id:u unit_pre:i sector_code:s collectives:i collective_initiatives:i individuals:i individual_initiatives:i
            """, order: ["campaign_id", "unit_id", "sector_code"]),
        table("rollup_counts", "campaign_id:u unit_id:u sector_code:s collectives:i collective_initiatives:i individuals:i individual_initiatives:i",
              order: ["campaign_id", "unit_id", "sector_code"]),
        table("standing_counts", """
            campaign_id:u unit_id:u expected:i not_started:i draft:i returned:i waiting_review:i accepted:i no_model:i on_time:i late:i \
            resubmitted_late:i
            """, order: ["campaign_id", "unit_id"]),
        table("users", """
            id:u username:s display_name:s password_hash:s role:s unit_id:u disabled:b created_at:d email:s daily_digest:b title:s phone:s \
            login_count:i last_login_at:d password_set_at:d totp_secret:s totp_enabled_at:d totp_last_step:i email_key:s
            """),
        table("invitations", "id:u user_id:u purpose:s token_hash:s created_at:d expires_at:d used_at:d revoked_at:d created_by:s"),
        table("recovery_codes", "id:u user_id:u code_hash:s used_at:d"),
        table("audit_events", """
            id:u at:d actor_id:u actor:s address:s request_id:s object_kind:s object_id:s unit_id:u campaign_id:u action:s details:s \
            actor_role:s actor_unit_id:u object_label:s changes:s search_key:s chain:s seq:i prev_hash:s hash:s
            """, order: ["chain", "seq"]),
        table("audit_chains", "chain:s seq:i hash:s", order: ["chain"]),
        table("api_tokens", "id:u token_hash:s user_id:u created_at:d name:s expires_at:d last_used_at:d"),
        table("outbox", """
            id:u kind:s campaign_id:u unit_id:u user_id:u to_address:s to_name:s subject:s note:s dedupe_key:s status:s attempts:i \
            next_attempt_at:d lease_owner:s lease_until:d last_answer:s address_refused:b message:x created_at:d sent_at:d
            """),
        table("mail_runs", "key:s at:d", order: ["key"]),
        table("progress_reports", "id:u initiative_id:u reported_on:s body:s participants:i beneficiaries:i money:i workdays:i author:s created_at:d"),
        table("model_files", "id:u report_id:u initiative_id:u name:s content_type:s size:i public:b data:x created_at:d caption:s"),
        table("verifications", """
            id:u initiative_id:u by_unit_id:u by_name:s verified_on:s checklist:s comments:s verdict:s author:s updated_at:d override_reason:s
            """),
        table("recognitions", """
            id:u initiative_id:u campaign_id:u by_unit_id:u by_code:s by_name:s by_depth:i decision_number:s decision_date:s exemplary:b \
            author:s updated_at:d
            """),
        table("nominations", "id:u initiative_id:u campaign_id:u from_unit_id:u to_unit_id:u author:s created_at:d document_number:s document_date:s"),
        table("commendations", "id:u initiative_id:u by_unit_id:u by_name:s form:s decision_number:s decision_date:s author:s created_at:d"),
        table("library", """
            initiative_id:u campaign_id:u published_by:u published_at:d year:i campaign_code:s sector_code:s sector_name:s registrant_kind:s \
            registrant_name:s title:s unit_code:s unit_name:s unit_path:s level:i exemplary:b search_text:s
            """, order: ["initiative_id"]),
        table("report_notes", "id:u campaign_id:u unit_id:u kind:s assessment:s proposals:s version:i author:s updated_at:d"),
        table("library_words", "word:s published_at:d initiative_id:u", order: ["word", "published_at", "initiative_id"]),
    ]

    /// Tables the schema has that a backup leaves out (see above).
    static let excluded: Set<String> = ["sessions", "login_failures", "login_challenges", "form_keys", "_fluent_migrations"]

    private static func table(_ name: String, _ columns: String, parent: String? = nil, order: [String] = ["id"]) -> Table {
        Table(name: name, columns: columns.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { pair in
            let parts = pair.split(separator: ":")
            return (String(parts[0]), Kind(rawValue: parts[1].first!)!)
        }, parentColumn: parent, order: order)
    }
}
