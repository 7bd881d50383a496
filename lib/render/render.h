/*
 * Pieces of the report writers shared with the other documents' writers:
 * the findings of a report as the "findings" JSON array and as text, so a
 * finding reads the same in every document (explain, wheel).
 */
#ifndef EXTPROBE_RENDER_H
#define EXTPROBE_RENDER_H

#include "render/json.h"
#include "report/report.h"
#include "util/strbuf.h"

void ep_report_json_findings(ep_json *j, const ep_report *r);
void ep_report_text_findings(ep_strbuf *sb, const ep_report *r, bool color);

#endif
