"""Initial schema: filings, deals, distribution versions, loans and the statement tables (docs/schema.md).

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "deal",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("trust_name", sa.String(), nullable=False),
        sa.Column("series", sa.String(), nullable=False),
        sa.Column("bond_description", sa.String(), nullable=True),
        sa.Column("issuer_cik", sa.Integer(), nullable=True),
        sa.Column("depositor", sa.String(), nullable=True),
        sa.Column("trustee", sa.String(), nullable=True),
        sa.Column("seller", sa.String(), nullable=True),
        sa.Column("certificate_insurers", sa.String(), nullable=True),
        sa.Column("servicers", sa.String(), nullable=True),
        sa.Column("underwriters", sa.String(), nullable=True),
        sa.Column("indenture_date", sa.Date(), nullable=True),
        sa.Column("cut_off_date", sa.Date(), nullable=True),
        sa.Column("closing_date", sa.Date(), nullable=True),
        sa.Column("first_payment_date", sa.Date(), nullable=True),
        sa.Column("version_key", sa.String(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal")),
        sa.UniqueConstraint("name", name=op.f("uq_deal")),
    )
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deal_issuer_cik"), ["issuer_cik"], unique=False)

    op.create_table(
        "filing",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("cik", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(), nullable=False),
        sa.Column("filed", sa.Date(), nullable=False),
        sa.Column("period", sa.Date(), nullable=True),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("document_name", sa.String(), nullable=True),
        sa.Column("sha256", sa.String(), nullable=True),
        sa.Column("template", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("stage", sa.String(), nullable=True),
        sa.Column("error", sa.String(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("parser_version", sa.String(), nullable=True),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('discovered', 'fetched', 'parsed', 'loaded', 'failed', 'unsupported')",
            name=op.f("ck_filing_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_filing")),
        sa.UniqueConstraint("accession_no", name=op.f("uq_filing")),
    )
    with op.batch_alter_table("filing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_filing_status"), ["status"], unique=False)

    op.create_table(
        "distribution",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("distribution_date", sa.Date(), nullable=False),
        sa.Column("filing_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("form", sa.String(), nullable=False),
        sa.Column("filed", sa.Date(), nullable=False),
        sa.Column("is_amendment", sa.Boolean(), nullable=False),
        sa.Column("version_key", sa.String(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("superseded_by", sa.String(), nullable=True),
        sa.Column("template", sa.String(), nullable=False),
        sa.Column("parser_version", sa.String(), nullable=False),
        sa.Column("quality_status", sa.String(), nullable=False),
        sa.Column("checks_run", sa.Integer(), nullable=False),
        sa.Column("discrepancy_count", sa.Integer(), nullable=False),
        sa.Column("unparsed_count", sa.Integer(), nullable=False),
        sa.Column("record_date", sa.Date(), nullable=True),
        sa.Column("seller", sa.String(), nullable=True),
        sa.Column("cut_off_date", sa.Date(), nullable=True),
        sa.Column("closing_date", sa.Date(), nullable=True),
        sa.Column("first_payment_date", sa.Date(), nullable=True),
        sa.Column("total_pages", sa.Integer(), nullable=True),
        sa.Column("deal_info_line", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "quality_status IN ('reconciled', 'discrepancies', 'unchecked')",
            name=op.f("ck_distribution_quality"),
        ),
        sa.ForeignKeyConstraint(["deal_id"], ["deal.id"], name=op.f("fk_distribution_deal_id_deal")),
        sa.ForeignKeyConstraint(
            ["filing_id"], ["filing.id"], name=op.f("fk_distribution_filing_id_filing"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_distribution")),
        sa.UniqueConstraint(
            "deal_id", "distribution_date", "accession_no", "document_name", name=op.f("uq_distribution")
        ),
    )
    with op.batch_alter_table("distribution", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_distribution_accession_no"), ["accession_no"], unique=False)
        batch_op.create_index(batch_op.f("ix_distribution_deal_id"), ["deal_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_distribution_distribution_date"), ["distribution_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_distribution_filing_id"), ["filing_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_distribution_is_current"), ["is_current"], unique=False)

    op.create_table(
        "filing_company",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filing_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("cik", sa.Integer(), nullable=False),
        sa.Column("company_name", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["filing_id"], ["filing.id"], name=op.f("fk_filing_company_filing_id_filing"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_filing_company")),
        sa.UniqueConstraint("filing_id", "cik", name=op.f("uq_filing_company")),
    )
    with op.batch_alter_table("filing_company", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_filing_company_cik"), ["cik"], unique=False)

    op.create_table(
        "loan",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("loan_number", sa.String(), nullable=False),
        sa.Column("loan_group", sa.Integer(), nullable=True),
        sa.Column("original_principal_balance", sa.Numeric(), nullable=True),
        sa.Column("note_rate", sa.Numeric(), nullable=True),
        sa.Column("state", sa.String(), nullable=True),
        sa.Column("ltv_at_origination", sa.Numeric(), nullable=True),
        sa.Column("original_term", sa.Integer(), nullable=True),
        sa.Column("origination_date", sa.Date(), nullable=True),
        sa.Column("version_key", sa.String(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["deal_id"], ["deal.id"], name=op.f("fk_loan_deal_id_deal")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan")),
        sa.UniqueConstraint("deal_id", "loan_number", name=op.f("uq_loan")),
    )
    with op.batch_alter_table("loan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_loan_loan_number"), ["loan_number"], unique=False)

    op.create_table(
        "bond_class",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("class_name", sa.String(), nullable=False),
        sa.Column("is_total", sa.Boolean(), nullable=False),
        sa.Column("class_type", sa.String(), nullable=True),
        sa.Column("original_face_value", sa.Numeric(), nullable=False),
        sa.Column("prior_principal_balance", sa.Numeric(), nullable=False),
        sa.Column("interest", sa.Numeric(), nullable=False),
        sa.Column("principal", sa.Numeric(), nullable=False),
        sa.Column("total_distribution", sa.Numeric(), nullable=False),
        sa.Column("realized_losses", sa.Numeric(), nullable=False),
        sa.Column("deferred_interest", sa.Numeric(), nullable=False),
        sa.Column("current_principal_balance", sa.Numeric(), nullable=False),
        sa.Column("accrual_start", sa.Date(), nullable=True),
        sa.Column("accrual_end", sa.Date(), nullable=True),
        sa.Column("accrual_method", sa.String(), nullable=True),
        sa.Column("cusip", sa.String(), nullable=True),
        sa.Column("factor_original_face", sa.Numeric(), nullable=True),
        sa.Column("factor_prior_principal", sa.Numeric(), nullable=True),
        sa.Column("factor_interest", sa.Numeric(), nullable=True),
        sa.Column("factor_principal", sa.Numeric(), nullable=True),
        sa.Column("factor_total_distribution", sa.Numeric(), nullable=True),
        sa.Column("factor_current_principal", sa.Numeric(), nullable=True),
        sa.Column("to_date_original_face_value", sa.Numeric(), nullable=True),
        sa.Column("to_date_interest", sa.Numeric(), nullable=True),
        sa.Column("to_date_unscheduled_principal", sa.Numeric(), nullable=True),
        sa.Column("to_date_scheduled_principal", sa.Numeric(), nullable=True),
        sa.Column("to_date_total_principal", sa.Numeric(), nullable=True),
        sa.Column("to_date_total_distribution", sa.Numeric(), nullable=True),
        sa.Column("to_date_realized_losses", sa.Numeric(), nullable=True),
        sa.Column("to_date_deferred_interest", sa.Numeric(), nullable=True),
        sa.Column("to_date_current_principal_balance", sa.Numeric(), nullable=True),
        sa.Column("pass_through_rate", sa.Numeric(), nullable=True),
        sa.Column("interest_prior_principal_balance", sa.Numeric(), nullable=True),
        sa.Column("accrued_interest", sa.Numeric(), nullable=True),
        sa.Column("non_supported_interest_shortfall", sa.Numeric(), nullable=True),
        sa.Column("prior_unpaid_interest", sa.Numeric(), nullable=True),
        sa.Column("unscheduled_interest_adjustments", sa.Numeric(), nullable=True),
        sa.Column("optimal_interest", sa.Numeric(), nullable=True),
        sa.Column("paid_or_deferred_interest", sa.Numeric(), nullable=True),
        sa.Column("current_unpaid_interest", sa.Numeric(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("accrual_line", sa.Integer(), nullable=True),
        sa.Column("to_date_line", sa.Integer(), nullable=True),
        sa.Column("interest_detail_line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_bond_class_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bond_class")),
        sa.UniqueConstraint("distribution_id", "class_name", name=op.f("uq_bond_class")),
    )
    op.create_table(
        "collateral_group",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("group_name", sa.String(), nullable=False),
        sa.Column("loan_count_original", sa.Integer(), nullable=False),
        sa.Column("loan_count_prior", sa.Integer(), nullable=False),
        sa.Column("loan_count_prefunding", sa.Integer(), nullable=False),
        sa.Column("loan_count_scheduled_paid_offs", sa.Integer(), nullable=False),
        sa.Column("loan_count_full_voluntary_prepayments", sa.Integer(), nullable=False),
        sa.Column("loan_count_repurchases", sa.Integer(), nullable=False),
        sa.Column("loan_count_liquidations", sa.Integer(), nullable=False),
        sa.Column("loan_count_current", sa.Integer(), nullable=False),
        sa.Column("balance_original", sa.Numeric(), nullable=False),
        sa.Column("balance_prior", sa.Numeric(), nullable=False),
        sa.Column("balance_prefunding", sa.Numeric(), nullable=False),
        sa.Column("balance_scheduled_principal", sa.Numeric(), nullable=False),
        sa.Column("balance_prepayments", sa.Numeric(), nullable=False),
        sa.Column("balance_repurchases", sa.Numeric(), nullable=False),
        sa.Column("balance_liquidations", sa.Numeric(), nullable=False),
        sa.Column("balance_current", sa.Numeric(), nullable=False),
        sa.Column("wac_original", sa.Numeric(), nullable=True),
        sa.Column("wac_prior", sa.Numeric(), nullable=True),
        sa.Column("wac_current", sa.Numeric(), nullable=True),
        sa.Column("wam_original", sa.Numeric(), nullable=True),
        sa.Column("wam_prior", sa.Numeric(), nullable=True),
        sa.Column("wam_current", sa.Numeric(), nullable=True),
        sa.Column("remaining_amortization_term_original", sa.Numeric(), nullable=True),
        sa.Column("remaining_amortization_term_prior", sa.Numeric(), nullable=True),
        sa.Column("remaining_amortization_term_current", sa.Numeric(), nullable=True),
        sa.Column("seasoning_original", sa.Numeric(), nullable=True),
        sa.Column("seasoning_prior", sa.Numeric(), nullable=True),
        sa.Column("seasoning_current", sa.Numeric(), nullable=True),
        sa.Column("margin_original", sa.Numeric(), nullable=True),
        sa.Column("margin_prior", sa.Numeric(), nullable=True),
        sa.Column("margin_current", sa.Numeric(), nullable=True),
        sa.Column("max_rate_original", sa.Numeric(), nullable=True),
        sa.Column("max_rate_prior", sa.Numeric(), nullable=True),
        sa.Column("max_rate_current", sa.Numeric(), nullable=True),
        sa.Column("min_rate_original", sa.Numeric(), nullable=True),
        sa.Column("min_rate_prior", sa.Numeric(), nullable=True),
        sa.Column("min_rate_current", sa.Numeric(), nullable=True),
        sa.Column("cap_up_original", sa.Numeric(), nullable=True),
        sa.Column("cap_up_prior", sa.Numeric(), nullable=True),
        sa.Column("cap_up_current", sa.Numeric(), nullable=True),
        sa.Column("cap_down_original", sa.Numeric(), nullable=True),
        sa.Column("cap_down_prior", sa.Numeric(), nullable=True),
        sa.Column("cap_down_current", sa.Numeric(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_collateral_group_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collateral_group")),
        sa.UniqueConstraint("distribution_id", "group_name", name=op.f("uq_collateral_group")),
    )
    op.create_table(
        "contact",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("administrator", sa.String(), nullable=True),
        sa.Column("direct_phone", sa.String(), nullable=True),
        sa.Column("address", sa.String(), nullable=True),
        sa.Column("web_site", sa.String(), nullable=True),
        sa.Column("factor_information_phone", sa.String(), nullable=True),
        sa.Column("main_phone", sa.String(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_contact_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
        sa.UniqueConstraint("distribution_id", name=op.f("uq_contact")),
    )
    op.create_table(
        "contents_entry",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_contents_entry_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contents_entry")),
        sa.UniqueConstraint("distribution_id", "number", name=op.f("uq_contents_entry")),
    )
    op.create_table(
        "cover_page",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("registrant", sa.String(), nullable=False),
        sa.Column("series", sa.String(), nullable=False),
        sa.Column("indenture_date", sa.Date(), nullable=True),
        sa.Column("report_date", sa.Date(), nullable=False),
        sa.Column("commission_file_number", sa.String(), nullable=False),
        sa.Column("irs_employer_id", sa.String(), nullable=False),
        sa.Column("state_of_incorporation", sa.String(), nullable=False),
        sa.Column("address", sa.String(), nullable=True),
        sa.Column("telephone", sa.String(), nullable=True),
        sa.Column("agent", sa.String(), nullable=True),
        sa.Column("signer", sa.String(), nullable=True),
        sa.Column("signer_title", sa.String(), nullable=True),
        sa.Column("signed_date", sa.Date(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_cover_page_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cover_page")),
        sa.UniqueConstraint("distribution_id", name=op.f("uq_cover_page")),
    )
    op.create_table(
        "credit_enhancement",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("required_overcollateralization_amount", sa.Numeric(), nullable=True),
        sa.Column("overcollateralization_amount", sa.Numeric(), nullable=True),
        sa.Column("extra_principal_distribution", sa.Numeric(), nullable=True),
        sa.Column("net_monthly_excess_cashflow", sa.Numeric(), nullable=True),
        sa.Column("overcollateralization_release", sa.Numeric(), nullable=True),
        sa.Column("rolling_60_day_delinquency_amount", sa.Numeric(), nullable=True),
        sa.Column("rolling_90_day_delinquency_amount", sa.Numeric(), nullable=True),
        sa.Column("available_funds_rate", sa.Numeric(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_credit_enhancement_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_enhancement")),
        sa.UniqueConstraint("distribution_id", name=op.f("uq_credit_enhancement")),
    )
    op.create_table(
        "data_quality_issue",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("check_name", sa.String(), nullable=False),
        sa.Column("expected", sa.Numeric(), nullable=False),
        sa.Column("actual", sa.Numeric(), nullable=False),
        sa.Column("difference", sa.Numeric(), nullable=False),
        sa.Column("tolerance", sa.Numeric(), nullable=False),
        sa.Column("context", sa.String(), nullable=False),
        sa.Column("lines", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_data_quality_issue_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_quality_issue")),
        sa.UniqueConstraint("distribution_id", "ordinal", name=op.f("uq_data_quality_issue")),
    )
    op.create_table(
        "delinquency_cell",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("group_name", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("bucket", sa.String(), nullable=False),
        sa.Column("measure", sa.String(), nullable=False),
        sa.Column("value", sa.Numeric(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_delinquency_cell_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delinquency_cell")),
        sa.UniqueConstraint(
            "distribution_id", "group_name", "status", "bucket", "measure", name=op.f("uq_delinquency_cell")
        ),
    )
    op.create_table(
        "derivative_payment",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("contract_id", sa.String(), nullable=False),
        sa.Column("amount", sa.Numeric(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_derivative_payment_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_derivative_payment")),
        sa.UniqueConstraint("distribution_id", "contract_id", name=op.f("uq_derivative_payment")),
    )
    op.create_table(
        "group_line",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("section", sa.String(), nullable=False),
        sa.Column("subsection", sa.String(), nullable=False),
        sa.Column("heading", sa.String(), nullable=True),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("adjustable", sa.Numeric(), nullable=True),
        sa.Column("fixed", sa.Numeric(), nullable=True),
        sa.Column("total", sa.Numeric(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_group_line_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_line")),
        sa.UniqueConstraint("distribution_id", "line", name=op.f("uq_group_line")),
    )
    op.create_table(
        "loan_event",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("distribution_date", sa.Date(), nullable=False),
        sa.Column("event", sa.String(), nullable=False),
        sa.Column("loan_number", sa.String(), nullable=False),
        sa.Column("loan_group", sa.Integer(), nullable=False),
        sa.Column("loan_status", sa.String(), nullable=True),
        sa.Column("original_principal_balance", sa.Numeric(), nullable=False),
        sa.Column("stated_principal_balance", sa.Numeric(), nullable=True),
        sa.Column("prior_principal_balance", sa.Numeric(), nullable=True),
        sa.Column("prepayment_amount", sa.Numeric(), nullable=True),
        sa.Column("prepayment_date", sa.Date(), nullable=True),
        sa.Column("paid_to_date", sa.Date(), nullable=True),
        sa.Column("realized_loss", sa.Numeric(), nullable=True),
        sa.Column("note_rate", sa.Numeric(), nullable=True),
        sa.Column("state", sa.String(), nullable=True),
        sa.Column("ltv_at_origination", sa.Numeric(), nullable=True),
        sa.Column("original_term", sa.Integer(), nullable=True),
        sa.Column("type_and_term", sa.String(), nullable=True),
        sa.Column("prepayment_type", sa.String(), nullable=True),
        sa.Column("origination_date", sa.Date(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "event IN ('paid_in_full', 'became_reo', 'liquidated')", name=op.f("ck_loan_event_event")
        ),
        sa.ForeignKeyConstraint(["deal_id"], ["deal.id"], name=op.f("fk_loan_event_deal_id_deal")),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_loan_event_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["loan_id"], ["loan.id"], name=op.f("fk_loan_event_loan_id_loan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_event")),
        sa.UniqueConstraint("distribution_id", "event", "line", name=op.f("uq_loan_event")),
    )
    with op.batch_alter_table("loan_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_loan_event_loan_id"), ["loan_id"], unique=False)

    op.create_table(
        "loan_group",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("group_name", sa.String(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_loan_group_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_group")),
        sa.UniqueConstraint("distribution_id", "number", name=op.f("uq_loan_group")),
    )
    op.create_table(
        "miscellaneous",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("current_basis_risk_carry_forward", sa.Numeric(), nullable=True),
        sa.Column("cumulative_basis_risk_carry_forward", sa.Numeric(), nullable=True),
        sa.Column("libor_rate", sa.Numeric(), nullable=True),
        sa.Column("net_mortgage_rate", sa.Numeric(), nullable=True),
        sa.Column("cumulative_loss_percentage", sa.Numeric(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_miscellaneous_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_miscellaneous")),
        sa.UniqueConstraint("distribution_id", name=op.f("uq_miscellaneous")),
    )
    op.create_table(
        "party",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('servicer', 'underwriter', 'certificate_insurer')", name=op.f("ck_party_kind")
        ),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_party_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party")),
        sa.UniqueConstraint("distribution_id", "kind", "ordinal", name=op.f("uq_party")),
    )
    op.create_table(
        "prepayment_detail_summary",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("loan_count", sa.Integer(), nullable=False),
        sa.Column("total_original_principal_balance", sa.Numeric(), nullable=False),
        sa.Column("total_prepayment_amount", sa.Numeric(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_prepayment_detail_summary_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prepayment_detail_summary")),
        sa.UniqueConstraint("distribution_id", name=op.f("uq_prepayment_detail_summary")),
    )
    op.create_table(
        "rate",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("metric", sa.String(), nullable=False),
        sa.Column("rate_window", sa.String(), nullable=False),
        sa.Column("group_name", sa.String(), nullable=False),
        sa.Column("value", sa.Numeric(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_rate_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate")),
        sa.UniqueConstraint("distribution_id", "metric", "rate_window", "group_name", name=op.f("uq_rate")),
    )
    op.create_table(
        "realized_loss_detail_summary",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("loan_count", sa.Integer(), nullable=False),
        sa.Column("total_original_principal_balance", sa.Numeric(), nullable=False),
        sa.Column("total_prior_principal_balance", sa.Numeric(), nullable=False),
        sa.Column("total_realized_loss", sa.Numeric(), nullable=False),
        sa.Column("total_net_liquidation_proceeds", sa.Numeric(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_realized_loss_detail_summary_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_realized_loss_detail_summary")),
        sa.UniqueConstraint("distribution_id", name=op.f("uq_realized_loss_detail_summary")),
    )
    op.create_table(
        "reo_summary",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("loan_count", sa.Integer(), nullable=False),
        sa.Column("total_original_principal_balance", sa.Numeric(), nullable=False),
        sa.Column("total_current_balance", sa.Numeric(), nullable=False),
        sa.Column("reo_book_value", sa.Numeric(), nullable=True),
        sa.Column("reo_book_value_text", sa.String(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_reo_summary_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reo_summary")),
        sa.UniqueConstraint("distribution_id", name=op.f("uq_reo_summary")),
    )
    op.create_table(
        "statement_item",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(), nullable=False),
        sa.Column("subsection", sa.String(), nullable=True),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("column_name", sa.String(), nullable=False),
        sa.Column("value", sa.Numeric(), nullable=True),
        sa.Column("raw", sa.String(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_statement_item_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_item")),
        sa.UniqueConstraint("distribution_id", "ordinal", name=op.f("uq_statement_item")),
    )
    op.create_table(
        "unparsed_line",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=False),
        sa.Column("accession_no", sa.String(), nullable=False),
        sa.Column("document_name", sa.String(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("section", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["distribution.id"],
            name=op.f("fk_unparsed_line_distribution_id_distribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unparsed_line")),
        sa.UniqueConstraint("distribution_id", "line", name=op.f("uq_unparsed_line")),
    )


def downgrade() -> None:
    op.drop_table("unparsed_line")
    op.drop_table("statement_item")
    op.drop_table("reo_summary")
    op.drop_table("realized_loss_detail_summary")
    op.drop_table("rate")
    op.drop_table("prepayment_detail_summary")
    op.drop_table("party")
    op.drop_table("miscellaneous")
    op.drop_table("loan_group")
    with op.batch_alter_table("loan_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_loan_event_loan_id"))

    op.drop_table("loan_event")
    op.drop_table("group_line")
    op.drop_table("derivative_payment")
    op.drop_table("delinquency_cell")
    op.drop_table("data_quality_issue")
    op.drop_table("credit_enhancement")
    op.drop_table("cover_page")
    op.drop_table("contents_entry")
    op.drop_table("contact")
    op.drop_table("collateral_group")
    op.drop_table("bond_class")
    with op.batch_alter_table("loan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_loan_loan_number"))

    op.drop_table("loan")
    with op.batch_alter_table("filing_company", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_filing_company_cik"))

    op.drop_table("filing_company")
    with op.batch_alter_table("distribution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_distribution_is_current"))
        batch_op.drop_index(batch_op.f("ix_distribution_filing_id"))
        batch_op.drop_index(batch_op.f("ix_distribution_distribution_date"))
        batch_op.drop_index(batch_op.f("ix_distribution_deal_id"))
        batch_op.drop_index(batch_op.f("ix_distribution_accession_no"))

    op.drop_table("distribution")
    with op.batch_alter_table("filing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_filing_status"))

    op.drop_table("filing")
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deal_issuer_cik"))

    op.drop_table("deal")
