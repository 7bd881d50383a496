/*
 * The single ranking rule (lib/findings/rank.c): swallowed-import-error
 * first, then the findings that explain the failure inside the package,
 * then the rest; within a tier errors before warnings, location causes
 * before file causes, specific before generic; insertion order last. The
 * rule is applied twice to show it is stable.
 */
#include "importer_tree.h"

#include "findings/checks.h"

static ep_finding_slot *
add(ep_report *r, ep_finding_code code, const char *summary, bool cause)
{
    ep_finding_slot *f = ep_report_add_finding(
        r, code, ep_finding_default_severity(code), "%s", summary);
    cr_assert(f != NULL);
    if (cause) {
        f->mark = EP_MARK_CAUSE;
    }
    return f;
}

static void
assert_order(ep_report *r, const char *const *want, size_t n)
{
    cr_assert(eq(sz, ep_report_finding_count(r), n));
    for (size_t i = 0; i < n; i++) {
        assert_str_eq(ep_report_finding(r, i)->summary, want[i]);
    }
}

Test(findings_rank, swallowed_error_first_then_its_cause)
{
    ep_report *r = ep_report_new("pkg");
    add(r, EP_FINDING_MODULE_NOT_FOUND, "other: generic", false);
    add(r, EP_FINDING_SHADOWED_BY_SOURCE, "cause: checkout shadows", true);
    add(r, EP_FINDING_SWALLOWED_IMPORT_ERROR, "swallowed", false);
    add(r, EP_FINDING_LIMITED_API_VIOLATION, "other: abi3", false);
    static const char *const want[] = {"swallowed", "cause: checkout shadows",
                                       "other: abi3", "other: generic"};
    ep_report_rank(r);
    assert_order(r, want, 4);
    ep_report_rank(r);
    assert_order(r, want, 4);
    ep_report_free(r);
}

Test(findings_rank, errors_before_warnings_within_a_tier)
{
    ep_report *r = ep_report_new("m");
    ep_finding_slot *w =
        add(r, EP_FINDING_SHADOWED_BY_SOURCE, "warning", false);
    ep_finding_severity(w, EP_SEVERITY_WARNING);
    add(r, EP_FINDING_MODULE_NOT_FOUND, "error", false);
    ep_report_rank(r);
    static const char *const want[] = {"error", "warning"};
    assert_order(r, want, 2);
    ep_report_free(r);
}

Test(findings_rank, where_the_import_goes_before_what_the_file_is)
{
    ep_report *r = ep_report_new("m");
    add(r, EP_FINDING_IMPORT_ERROR, "import-error", false);
    add(r, EP_FINDING_UNDEFINED_SYMBOL, "undefined-symbol", false);
    add(r, EP_FINDING_WRONG_ARCHITECTURE, "wrong-architecture", false);
    add(r, EP_FINDING_ABI_TAG_MISMATCH, "abi-tag-mismatch", false);
    add(r, EP_FINDING_SHADOWED_BY_SOURCE, "shadowed-by-source", false);
    ep_report_rank(r);
    static const char *const want[] = {"shadowed-by-source", "abi-tag-mismatch",
                                       "wrong-architecture", "undefined-symbol",
                                       "import-error"};
    assert_order(r, want, 5);
    ep_report_free(r);
}

Test(findings_rank, same_code_keeps_insertion_order)
{
    ep_report *r = ep_report_new("m");
    add(r, EP_FINDING_UNDEFINED_SYMBOL, "first", false);
    add(r, EP_FINDING_UNDEFINED_SYMBOL, "second", false);
    add(r, EP_FINDING_UNDEFINED_SYMBOL, "third", false);
    ep_report_rank(r);
    static const char *const want[] = {"first", "second", "third"};
    assert_order(r, want, 3);
    ep_report_free(r);
}

Test(findings_rank, ranking_nothing_is_harmless)
{
    ep_report *r = ep_report_new("m");
    ep_report_rank(r);
    ep_report_rank(NULL);
    cr_assert(eq(sz, ep_report_finding_count(r), 0));
    ep_report_free(r);
}
