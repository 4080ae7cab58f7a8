"""Every user-facing word of the dashboard, in one place.

Code identifiers stay English; what the user reads comes from here. The catalogue is keyed by
language so another one can be added beside ``zh-CN``: add a dict with the same groups and keys,
then pass ``lang=`` to :func:`label` (the module-level constants are the default language's).

Colours of the statuses and event types live here too: they are part of the board's vocabulary
(the legend of every chart and the badge of every table must agree).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

DEFAULT_LANGUAGE = "zh-CN"

_ZH_CN: dict[str, dict[Any, str]] = {
    "status": {
        "done": "已完成",
        "on_track": "正常",
        "at_risk": "预警",
        "overdue": "逾期",
        "not_started": "未开始",
    },
    # Why an activity is 预警 (store.domain.status.at_risk_reason).
    "reason": {
        "near_deadline": "临近截止",
        "lagging": "进度滞后",
    },
    "event_type": {
        "PlanImported": "导入方案",
        "ActivityPlanned": "活动计划",
        "ActivityRevised": "调整计划",
        "MilestonePlanned": "计划节点",
        "MilestoneReached": "节点达成",
        "ProgressReported": "进展上报",
        "ParticipationRecorded": "参与情况",
        "TargetAdvanced": "目标推进",
        "RiskFlagged": "风险预警",
        "RiskResolved": "风险解除",
        "ActivityCompleted": "活动完成",
        "EventRetracted": "撤回更正",
        "CompletionRequested": "申请办结",
        "CompletionReturned": "办结退回",
        "ExtensionRequested": "申请延期",
        "ExtensionRefused": "延期不同意",
    },
    "role": {
        "lead": "牵头",
        "partner": "配合",
        "either": "牵头或配合",
        "both": "牵头与配合",
    },
    "month": {m: f"{m}月" for m in range(1, 13)},
    "column": {
        # activities
        "plan_id": "方案",
        "seq": "序号",
        "stream": "事件流",
        "title": "活动",
        "body": "内容",
        "window_text": "完成时限",
        "start": "开始",
        "end": "截止",
        "lead_units": "牵头部门",
        "partner_units": "配合单位",
        "status": "状态",
        "percent": "进度(%)",
        "unit_parts": "配合单位进度",
        "change_kind": "变化",
        "field": "字段",
        "doc_value": "文档新值",
        "app_value": "看板当前值",
        "count": "项数",
        "examples": "内容",
        "my_percent": "本单位进度(%)",
        "last_report_on": "最近上报",
        "done_on": "完成日期",
        "risk_open": "风险未解除",
        "reports": "上报次数",
        "participants": "参与人数",
        "attention": "关注顺序",
        # what changed since the last meeting (from → to)
        "percent_from": "原进度(%)",
        "percent_to": "现进度(%)",
        "achieved_from": "原完成",
        "achieved_to": "现完成",
        "window_from": "原时限",
        "window_to": "现时限",
        "risk_change": "风险",
        # targets
        "key": "编号",
        "label": "目标",
        "unit": "单位",
        "planned": "计划",
        "achieved": "完成",
        # milestones
        "due": "计划日期",
        "reached_on": "达成日期",
        # participation
        "event_id": "事件编号",
        "date": "日期",
        "sessions": "场次",
        "place": "地点",
        "note": "备注",
        "actor": "填报人",
        "occurred_on": "发生日期",
        # workload / unit activity
        "month": "月份",
        "role": "角色",
        "activities": "活动数",
        "weight": "加权工作量",
        "events": "事件数",
        # log
        "position": "位置",
        "type": "事件类型",
        "recorded_at": "记录时间",
        "demo": "演示数据",
        "retracted": "已撤回",
        "amount": "数量",
        "milestone": "节点",
        "milestone_due": "节点日期",
        "hash": "哈希",
        # plan
        "issuer": "发文单位",
        "doc_no": "文号",
        "year": "年度",
        "role_in": "角色",
        "days_left": "剩余天数",
        # 办结与延期申请
        "request_kind": "申请",
        "requested_on": "申请日期",
        "asked_end": "申请延至",
        "request_state": "审核结果",
        "answered_on": "审核日期",
        "answer_note": "审核意见",
        "planned_end": "原定截止",
        "my_last_report_on": "本单位最近上报",
        "rate": "完成率(%)",
        "row": "行号",
        "reason": "原因",
        # the 督办 loop
        "reminded_on": "催办日期",
        "reminded_activities": "活动序号",
        "message": "催办内容",
        "channels": "发送结果",
        "reports_due": "应报",
        "on_time": "按时",
        "late": "迟报",
        "missing": "未报",
        "done_on_time": "按期办结",
        "done_late": "逾期办结",
        "overdue": "逾期未办结",
        "reminders": "被催办",
        "score": "得分",
        "band": "等级",
        "rank": "名次",
        "previous_score": "上期得分",
        "change": "升降",
    },
    "page": {
        "overview": "总览",
        "gantt": "甘特图",
        "timeline": "时间线",
        "workload": "部门工作量",
        "selfcheck": "部门自查",
        "log": "事件日志",
        "import": "导入",
        "scores": "考评",
        "cuiban": "催办",
        "brief": "通报",
        "review": "审核",
        "settings": "方案设置",
    },
    # Words of charts and pages that are not a column, a status or a type.
    "text": {
        "app_title": "督办看板",
        "as_of": "截至",
        "activity": "活动",
        "activities_count": "活动数",
        "count": "数量",
        "date": "日期",
        "week_of": "周起始",
        "month": "月份",
        "unit": "单位",
        "department": "部门",
        "status": "状态",
        "progress": "进度",
        "milestone": "节点",
        "milestone_due": "计划日期",
        "milestone_reached": "达成日期",
        "milestone_open": "未达成",
        "milestone_group": "{title} 等{count}个节点",
        "reached": "已达成",
        "not_reported": "未上报",
        "none": "无",
        "target": "目标",
        "planned": "计划",
        "achieved": "完成",
        "event_type": "事件类型",
        "events": "事件数",
        "participants": "参与人数",
        "role": "角色",
        "workload": "工作量",
        "weight": "加权工作量",
        "weighted": "加权",
        "actor": "填报人",
        "note": "备注",
        "retracted": "已撤回",
        "yes": "是",
        "from_month": "起",
        "no": "否",
        "no_data": "暂无数据",
        "no_dates": "未能识别完成时限",
        "sheet": "数据",
    },
}

# Words of the pages themselves: headings, filter names, messages.
_ZH_CN["ui"] = {
    "filters": "筛选",
    "copy_link": "复制链接（含日期与筛选）",
    "active_filters": "已筛选　",
    "no_workload_in_role": "所选单位在这段时间没有{role}的活动。",
    "more_need_attention": "另有 {count} 项需要关注，见“全部活动”。",
    "filter_plan": "方案",
    "filter_as_of": "截至日期",
    "filter_units": "单位",
    "all_units": "全部单位",
    "choose": "请选择",
    "upload_button": "选择文件",
    "upload_instructions": "{kinds} 文件，不超过 {limit} MB",
    "no_choices": "没有可选项",
    "filter_role": "单位角色",
    "filter_status": "状态",
    "all_statuses": "全部状态",
    "filter_months": "月份范围",
    "filter_keyword": "关键词",
    "keyword_hint": "标题或内容中的词",
    "section_leadership": "领导看板",
    "overview_title": "总览",
    "store_cannot_open": "无法打开事件库，请联系管理员检查数据库设置。（{reason}）",
    "no_plan": "暂无方案。请先在“导入”页导入方案，或运行 make run 载入 2022 年方案。",
    "needs_attention": "需要关注",
    "nothing_needs_attention": "没有逾期或预警的活动。",
    "targets": "目标完成情况",
    "no_targets": "所选活动没有数量目标。",
    "since_last_meeting": "上次会议以来的变化",
    "last_meeting_on": "上次会议日期",
    "no_changes": "这段时间没有变化。",
    "changes_completed": "新完成的活动",
    "changes_overdue": "转为逾期的活动",
    "changes_at_risk": "转为预警的活动",
    "changes_milestones": "达成的节点",
    "changes_participation": "新增参与记录",
    "changes_progress": "进度变化",
    "changes_targets": "目标推进",
    "changes_revisions": "计划调整",
    "changes_risks": "风险标记与解除",
    "changes_late": "会后补报",
    "changes_late_help": "会议之后才登记、日期在会议当日或之前的记录：会议当时看不到它们。",
    "meeting_as_seen": "按会议当时所见",
    "import_overrides": "新文档改动了 {count} 处在看板中调整过的内容：导入后以文档为准。请对照下表核对后再导入。",
    "meeting_as_seen_help": "比较的起点是会议当天结束时看板上的数据；会后补报的记录也算作变化。",
    "meeting_as_seen_counts": "会议当时所见：",
    "meeting_plan_unseen": "会议当天结束时事件库里还没有这份方案（方案在会后才导入），无法按会议当时所见比较；下面按现在所知比较。",
    "meeting_as_known_counts": "会议当日（按现在所知）：",
    "meeting_since_line": "会议日期 {since}",
    "and_more": " 等 {count} 项",
    "risk_flagged": "新标记风险",
    "risk_resolved": "风险已解除",
    "all_activities": "全部活动",
    "gantt_title": "甘特图",
    "sort_by": "排序",
    "sort_seq": "按序号",
    "sort_end": "按截止日期",
    "sort_status": "按状态",
    "no_match": "没有符合筛选条件的活动。",
    "undated_activities": "以下活动的完成时限未能识别为日期，未画入甘特图：",
    "timeline_title": "时间线",
    "no_events": "所选范围内还没有记录。",
    "latest_events": "最新记录",
    "workload_title": "部门工作量",
    "workload_role": "角色",
    "activities_per_unit": "各单位承担的活动数",
    "participation_by_city": "各市（州）参与情况",
    "no_participation": "所选范围内还没有参与记录。",
    "download_csv": "下载 CSV",
    "download_xlsx": "下载 Excel",
    "download_png": "下载图片",
    # 事件日志 (log page)
    "log_title": "事件日志",
    "log_scope_plan": "显示方案「{title}」的全部记录（含方案本身的记录）；换方案请用左侧“方案”。",
    "log_scope_all": "显示全部记录。",
    "log_filters": "筛选记录",
    "log_filter_type": "事件类型",
    "log_filter_unit": "单位",
    "log_filter_actor": "填报人",
    "log_filter_activity": "活动",
    "log_filter_occurred": "发生日期（起止）",
    "log_filter_recorded": "记录日期（起止，北京时间）",
    "log_any": "不限",
    "log_plan_level": "方案本身（非活动记录）",
    "log_activity_choice": "活动{seq} · {title}",
    "log_no_actor": "（未记录）",
    "log_no_unit": "（无单位）",
    "log_sidebar_scope": "左侧筛选用于本页：“单位”按填报单位，“月份”按发生日期所在月份，“状态”按所属活动的状态，“关键词”查记录内容或所属活动标题与内容中的词；“单位角色”不用于事件日志。",
    "log_all_rows": "全部",
    "log_matched": "符合条件的记录 {matched} 条（所选方案共 {total} 条），最新的在前。",
    "log_page": "页码",
    "log_page_line": "第 {page} / {pages} 页：第 {first}–{last} 条（最新的在前），每页 {per} 条；全部 {matched} 条可翻页查看，或用表下的按钮一次下载。",
    "log_nothing": "没有符合条件的记录。",
    "log_col_reason": "撤回原因",
    "log_col_retracts": "撤回位置",
    "log_retracted_mark": "✓",
    "log_download_all_csv": "下载全部符合条件的记录（CSV，{count} 条）",
    "log_export_title": "导出",
    "log_export_jsonl_all": "导出完整日志（JSON Lines，至位置 {position}）",
    "log_export_jsonl_filtered": "导出筛选结果（JSON Lines，{count} 条）",
    "log_export_note": "每行一条完整记录（含哈希）。完整日志的导出可导入另一数据库并校验；筛选结果只供查阅，不能单独校验哈希链。",
    "log_integrity_title": "完整性",
    "log_head_position": "最新位置",
    "log_head_hash": "链尾哈希",
    "log_head_note": "请把最新位置和链尾哈希抄录在数据库之外（会议纪要、通报或导出文件旁）：日后校验时据此核对，才能发现对数据库的蓄意改动。",
    "log_verify": "校验完整性",
    "log_verify_ok": "校验通过：共 {count} 条记录，哈希链完整。链尾哈希：{head_hash}",
    "log_verify_bad": "校验未通过：位置 {position} 的记录与哈希链不符，数据库可能被改动过，请立即告知管理员。",
    "log_verify_set_aside": "哈希链完整，但有 {count} 条记录无法计入看板（位置 {positions}），请告知管理员。",
    "log_set_aside": "有 {count} 条记录无法读取或不合规则，看板已略过，其余数据照常显示。位置：{positions}。",
    "log_retract_title": "撤回记录",
    "log_retract_help": "撤回不会删除原记录：系统追加一条“撤回更正”，原记录在日志中保留并标记为已撤回，各项统计不再计入。填报账号只能撤回自己录入的记录，管理员可撤回任何记录。",
    "log_retract_event": "要撤回的记录（上表中显示的记录）",
    "log_retract_pick": "请选择一条记录",
    "log_retract_choice": "位置 {position} · {type} · {unit} · {date} · {note}",
    "log_retract_reason": "撤回原因（必填）",
    "log_retract_reason_hint": "例如：人数多填一位，撤回后重报",
    "log_retract_submit": "撤回",
    "log_retract_pick_required": "请选择要撤回的记录。",
    "log_retract_reason_required": "请填写撤回原因。",
    "log_retract_reason_too_long": "撤回原因不能超过 {limit} 个字。",
    "log_retract_done": "已撤回位置 {position} 的记录；撤回更正记录在位置 {retraction}。",
    "log_retract_gone": "所选记录已不在当前列表中，请重新选择。",
    # 导入 (plan import page)
    "import_title": "导入方案",
    "import_help": "上传方案或任务分解表（.md、.txt 或 .docx，不超过 {limit} MB），先预览解析结果，确认无误后再导入。同一文件再次导入不会重复记录；修订后的新版本只记录有变化的活动。",
    "import_file": "方案文件",
    "import_year": "年度（文件中没有写明年度时使用，可留空）",
    "import_waiting": "请先上传方案文件。",
    "import_too_large": "文件超过 {limit} MB，未读取。请删去附件图片或拆分后再上传。",
    "import_unreadable": "无法解析该文件，未导入任何内容：{reason}",
    "import_unreadable_generic": "无法解析该文件，未导入任何内容。请确认上传的是方案的 .md、.txt 或 .docx 文件。",
    "import_preview": "解析预览",
    "import_plan_title": "方案标题",
    "import_issuer": "发文单位",
    "import_doc_no": "文号",
    "import_year_label": "年度",
    "import_period": "起止日期",
    "import_plan_id": "方案编号",
    "import_activity_count": "识别出活动 {count} 项",
    "import_warnings": "解析提示（{count} 条），请核对：",
    "import_no_warnings": "没有解析提示。",
    "import_exists": "方案 {plan_id} 已在看板中：导入时只记录与已有版本不同的活动。",
    "import_is_new": "这是一个新方案，导入后可在左侧“方案”中选择。",
    "import_col_targets": "数量目标",
    "import_col_note": "请核对",
    "import_unknown_unit": "「{name}」未登记，最接近：{near}",
    "import_bad_target": "数量目标「{text}」应写成“名称 数量单位”，如“奖状 10个”",
    "import_review_help": "可直接修改表格中的标题、完成时限、起止日期、牵头和配合单位（用“、”分隔）及数量目标，改好后再点“导入”；修改过的内容会记入导入记录。",
    "import_review_invalid": "表格中有需要修改的内容，未导入：{reason}",
    "import_columns_help": "有一张表格的表头无法识别，请指明各列的含义：",
    "import_column_none": "（无）",
    "import_button": "导入",
    "import_done_new": "已导入新方案 {plan_id}：活动 {count} 项，新增记录 {appended} 条。",
    "import_done_revised": "已导入修订版本 {plan_id}：修订活动 {seqs}；新增活动 {planned} 项；新增记录 {appended} 条。",
    "import_done_same": "该文件与已导入的方案 {plan_id} 相同，没有新增记录。",
    "import_none": "无",
    "import_cycle_changed": "报送周期按新版本改为{cycle}。",
    "rate_targets": "比率目标（只列出，不计入合计）：{items}",
    "import_register_title": "登记未登记的单位（{count} 个）",
    "import_register_help": "登记后，所有看板都按登记表识别该名称；重新解析本文件时即按登记的名称显示。",
    "import_register_name": "未登记的名称",
    "import_register_how": "登记为",
    "import_register_as_unit": "新单位",
    "import_register_as_alias": "已登记单位的别名",
    "import_register_alias_of": "对应的已登记单位",
    "import_register_kind": "单位类别",
    "import_register_button": "登记",
    "import_register_done_unit": "已登记新单位「{name}」。",
    "import_register_done_alias": "已把「{name}」登记为「{alias_of}」的别名。",
    "import_unregistered_group": "「{name}」是未登记的分组，看板无法把它展开到成员单位",
    "unit_kind_city": "市（州）总工会",
    "unit_kind_department": "机关部室",
    "unit_kind_industry": "产业工会",
    "unit_kind_direct": "直属单位",
    "unit_kind_federation": "总工会本级",
    "unit_kind_other": "其他单位",
    "invalid_value": "填写的内容不符合要求",
    "conflict": "这项活动刚被别人更新过，请刷新后再提交。",
    "unknown_activity": "找不到这项活动。",
    "already_retracted": "这条记录已经撤回过了。",
    "retract_retraction": "撤回记录本身不能再撤回；如需恢复，请重新填报。",
    "no_such_event": "找不到要撤回的记录。",
    "refused": "提交未被接受，内容没有保存。",
    "store_unavailable": "暂时无法保存，请稍后再试（数据库忙或无法连接）。",
    "section_desk": "工作台",
    "login": "登录",
    "login_oidc": "统一身份登录",
    "logout": "退出登录",
    "username": "用户名",
    "password": "密码",
    "logged_in_as": "已登录：{name}（{role}）",
    "login_to_read": "请先登录后查看。",
    # the files beside each other in the accounts folder, as a refusal names them (access/accounts.locked_file)
    "accounts_file": "账号文件",
    "screens_file": "放映链接文件",
    "file_folder_unmakeable": "无法创建{name}所在的文件夹 {folder}：{reason}",
    "file_unwritable": "无法写入{name} {file}：{reason}",
    "selfcheck_title": "部门自查",
    "my_unit": "本单位",
    "as_lead": "牵头活动",
    "as_partner": "配合活动",
    "overdue_count": "已逾期",
    "due_soon_count": "14天内到期",
    "not_reported_count": "本月未上报",
    "my_activities": "本单位的活动（逾期在前）",
    "no_my_activities": "所选方案中没有本单位牵头或配合的活动。",
    "not_reported_title": "本月尚未上报",
    "due_soon_title": "14天内到期",
    "my_targets": "本单位牵头的目标",
    "reminders_title": "收到的催办（报送后不再显示）",
    "scores_title": "考评：各单位报送与办结情况",
    "scores_from": "起始日期",
    "scores_to": "截止日期",
    "scores_rule": "计分规则：起始{start}分，每项未报−{missing}，每项迟报−{late}，期末每项牵头活动逾期−{overdue}，最低{floor}分；低于{red}分为红，低于{yellow}分为黄。只看日志所记事实，不计登录和点击。",
    "scores_none": "所选期间没有应报或应办结的事项。",
    "cuiban_title": "催办：各单位本周期报送情况",
    "cuiban_cycle": "报送周期",
    "cuiban_cycle_option": "{start:%Y年%-m月%-d日}起（截止{due:%-m月%-d日}）",
    "cuiban_none": "所选周期没有应报送的事项。",
    "cuiban_activity": "第{seq}项",
    "cuiban_unit": "单位",
    "report_on_time": "已按时",
    "report_late": "逾期报送",
    "report_missing": "未报送",
    "report_pending": "未到期",
    "cuiban_remind_title": "催办",
    "cuiban_remind_units": "催办单位（默认：有未报送事项的单位）",
    "cuiban_message": "催办内容（留空用默认内容）",
    "cuiban_remind_button": "发送催办",
    "cuiban_admin_only": "只有管理员（省总办公室）可以催办。",
    "cuiban_already": "{unit}：本周期已催办",
    "cuiban_nothing_missing": "{unit}：本周期没有未报送事项，未催办",
    "cuiban_reminded": "{unit}：已催办（第{seqs}项）",
    "cuiban_no_channel": "{unit}：未配置发送渠道，催办已记录，单位在部门自查中可见",
    "cuiban_channel_ok": "{unit}：{channel}发送成功",
    "cuiban_channel_failed": "{unit}：{channel}发送失败：{detail}",
    "cuiban_pick_units": "请至少选择一个单位。",
    # 通报: the bulletin (dashboard/brief.py, dashboard/render/bulletin.py) and its page.
    "brief_title_suffix": "工作进展情况通报",
    "brief_numerals": "一二三四五六七八九十",
    "brief_h_summary": "总体情况",
    "brief_summary": "截至{as_of}，方案所列活动共{total}项，已完成{done}项，占{share}；正常{on_track}项；"
                     "预警{at_risk}项（临近截止{near}项、进度滞后{lagging}项）；逾期{overdue}项{not_started}。",
    "brief_not_started": "；未开始{count}项",
    "brief_h_completed": "本期完成情况",
    "brief_completed": "{since}至{as_of}，办结活动{count}项：",
    "brief_completed_item": "第{seq}项　{title}（牵头：{leads}；{done_on}办结）。",
    "brief_none_completed": "{since}至{as_of}，没有新办结的活动。",
    "brief_h_attention": "逾期和预警活动",
    "brief_attention": "逾期{overdue}项、预警{at_risk}项，请牵头部门抓紧推进：",
    "brief_attention_item": "第{seq}项　{title}。牵头：{leads}；{state}，完成时限{end}，进度{percent}%。",
    "brief_none_attention": "没有逾期或预警的活动。",
    "brief_h_silent": "未按期报送的单位",
    "brief_silent": "{month}报送（截止{due}）有未报送事项的单位共{count}个：",
    "brief_silent_header": "序号|单位|未报送的活动",
    "brief_silent_seqs": "第{seqs}项",
    "brief_none_silent": "{month}报送（截止{due}）各单位均已报送。",
    "brief_no_cycle": "截至{as_of}尚无到期的报送周期。",
    "brief_h_targets": "数量目标完成情况",
    "brief_targets_header": "活动|目标|计划|完成|完成率",
    "brief_no_targets": "方案未设数量目标。",
    "brief_h_gantt": "工作进度甘特图",
    "brief_h_next": "下一步工作要求",
    "brief_anchor": "本通报据督办看板事件日志生成：日志位置 {position}，哈希 {hash}"
                    "（核验：python -m store verify --anchor 位置:哈希）",
    "brief_unknown": "未定",
    "brief_file_name": "工作进展情况通报（第{issue}期）{date}.docx",
    "brief_office_suffix": "办公室",
    "brief_page_title": "通报：工作进展情况通报（Word）",
    "brief_since": "本期起始日期",
    "brief_as_of": "截至日期",
    "brief_issue": "期号（第几期）",
    "brief_office": "发文单位",
    "brief_next": "下一步工作要求（每段一行）",
    "brief_make": "生成通报",
    "brief_made": "已生成：{name}",
    "brief_download": "下载通报（Word）",
    "brief_admin_only": "只有管理员（省总办公室）可以生成通报。",
    "brief_since_after": "起始日期晚于截至日期。",
    # python -m dashboard.brief: what follows its "error:" for a mistake in the command line
    "brief_cli_since_after": "--since {since} 晚于 --as-of {as_of}",
    "brief_cli_issue": "--issue 须为 1 或更大的整数，不能是 {issue}",
    "brief_cli_docx": "--out 须是 .docx 文件，不能是 {name!r}",
    "brief_cli_no_folder": "找不到文件夹：{folder}",
    "record_title": "填报",
    "login_to_write": "登录后才能填报（左侧“登录”）。",
    "viewer_cannot_write": "只读账号不能填报。",
    "no_writable_activities": "没有本账号可以填报的活动。",
    "entry_activity": "活动",
    "on_behalf_of": "填报单位",
    "office_unit": "省总（管理员，计入活动进度）",
    "tab_progress": "进展",
    "tab_participation": "参与情况",
    "tab_milestone": "节点",
    "tab_target": "目标",
    "tab_risk": "风险",
    "tab_complete": "完成",
    "tab_bulk": "批量导入",
    "occurred_on": "发生日期",
    "activity_date": "活动日期",
    "note": "说明",
    "note_required": "说明（必填）",
    "percent": "进度（%）",
    "participants": "参与人数",
    "sessions": "场次",
    "place": "地点",
    "submit": "提交",
    "saved": "已保存（第 {position} 条记录）。同样的内容重复提交只记一次。",
    "not_saved": "未保存：",
    "milestone_plan": "计划节点",
    "milestone_reached": "节点达成",
    "milestone_title": "节点名称",
    "milestone_title_required": "请填写节点名称",
    "milestone_due": "计划日期",
    "milestone": "节点",
    "reached_on": "达成日期",
    "no_open_milestone": "这项活动没有未达成的节点",
    "target": "目标",
    "amount": "本次完成数量",
    "no_targets_for_activity": "这项活动没有数量目标。",
    "risk_flag": "提示风险",
    "risk_resolve": "解除风险",
    "risk_note_required": "请说明风险是什么",
    "completed_on": "完成日期",
    "confirm_complete": "确认这项活动已全部完成",
    "confirm_complete_required": "请勾选确认",
    "bulk_hint": "按模板填写各单位的参与情况后上传：全部行无误才会保存，有一行出错则一行也不保存，并列出出错的行。",
    "template_csv": "下载模板（CSV）",
    "template_xlsx": "下载模板（Excel）",
    "bulk_file": "上传参与情况表（CSV 或 Excel）",
    "bulk_rejected": "{total} 行中有 {bad} 行有误，全部未保存。请改正后重新上传：",
    "bulk_ready": "{total} 行全部无误，共 {people} 人次。",
    "bulk_submit": "保存全部",
    "bulk_saved": "已保存 {total} 条参与记录。",
    "bulk_nothing_new": "这 {total} 行此前已经保存过，本次没有新增记录。",
    "bulk_some_known": "另有 {known} 行此前已经保存过，未重复记录。",
    # 办结审核 and 延期申请
    "review_pending": "待审核",
    "review_pending_suffix": " · 待审核",
    "tab_extension": "延期申请",
    "request_complete": "申请办结（本方案办结需审核，办公室确认后计为已完成）",
    "evidence_note": "办结佐证（必填：总结材料、照片、参与人数等）",
    "evidence_required": "请填写办结佐证",
    "request_waiting": "已提交办结申请，等待办公室审核。",
    "extension_end": "申请延至",
    "extension_reason": "延期理由（必填）",
    "extension_reason_required": "请填写延期理由",
    "extension_not_later": "新的截止日期须晚于现在的截止日期（{end}）",
    "extension_waiting": "已申请延期至 {end}，等待办公室审核。",
    "extension_leads_only": "延期由牵头单位申请，办公室在“审核”页处理。",
    "my_requests_title": "本单位的办结与延期申请",
    "request_answered_badly": "办公室退回了 {count} 项申请，请查看原因：",
    "request_kind_completion": "办结",
    "request_kind_extension": "延期",
    "request_state_pending": "待审核",
    "request_state_confirmed": "已确认办结",
    "request_state_returned": "已退回",
    "request_state_approved": "已同意延期",
    "request_state_refused": "不同意延期",
    "review_title": "审核：办结与延期申请",
    "review_none": "没有待审核的申请。",
    "review_admin_only": "只有管理员（省总办公室）可以审核。",
    "review_request_line": "第{seq}项 {title} · {unit} · {kind}申请（{on:%Y-%m-%d}）",
    "review_confirm": "确认办结",
    "review_return": "退回",
    "review_approve": "同意延期",
    "review_refuse": "不同意",
    "review_answer_note": "审核意见（退回或不同意时必填）",
    "review_reason_required": "退回或不同意时请写明原因",
    "review_done_confirmed": "第{seq}项已确认办结。",
    "review_done_returned": "第{seq}项的办结申请已退回。",
    "review_done_approved": "第{seq}项已延期至 {end}。",
    "review_approved_reason": "同意延期申请",
    "review_extended_window": "（经批准延至{day}）",
    "review_done_refused": "第{seq}项的延期申请未同意。",
    "review_history": "已处理的申请",
    "gantt_planned_end": "原定截止",
    "gantt_moved_note": "细竖线是调整前的原定截止日：{items}",
    # 方案设置
    "settings_title": "方案设置：报送周期、办结审核、考评规则",
    "settings_admin_only": "只有管理员可以修改方案设置。",
    "settings_cycle_kind": "报送周期",
    "settings_monthly": "每月",
    "settings_weekly": "每周",
    "settings_day": "每月几日前报送",
    "settings_weekday": "每周几前报送",
    "settings_review": "办结需审核（牵头单位申请，办公室确认）",
    "settings_scoring": "考评规则",
    "settings_start": "起始分",
    "settings_missing": "每项未报送扣分",
    "settings_late": "每项逾期报送扣分",
    "settings_overdue": "每项牵头活动逾期扣分",
    "settings_floor": "最低分",
    "settings_red_below": "低于此分为红",
    "settings_yellow_below": "低于此分为黄",
    "settings_note": "修改说明",
    "settings_save": "保存设置",
    "settings_saved": "已保存（第 {position} 条记录）。",
    "settings_unchanged": "设置没有变化，未保存。",
    "settings_history": "设置变更记录",
    "settings_bands_order": "“低于此分为红”不能高于“低于此分为黄”",
    "weekday_0": "周一", "weekday_1": "周二", "weekday_2": "周三", "weekday_3": "周四", "weekday_4": "周五",
    "weekday_5": "周六", "weekday_6": "周日",
}

# File and sheet names of the exports (a table's or chart's name on the page -> what a user files it as).
_ZH_CN["export"] = {
    "event-log": "事件日志", "latest-events": "最新记录", "timeline": "时间线", "gantt": "甘特图",
    "needs-attention": "需要关注", "activities": "全部活动", "targets": "目标完成情况",
    "changes-completed": "新完成", "changes-overdue": "新逾期", "changes-at-risk": "新预警",
    "changes-milestones": "新达成节点", "changes-participation": "新增参与情况",
    "workload-heatmap": "部门工作量", "activities-per-unit": "各单位承担的活动数", "participation": "参与情况",
    "participation-by-unit": "各单位参与情况", "my-activities": "本单位活动", "not-reported-title": "本月未报送",
    "due-soon-title": "即将到期", "my-targets": "本单位目标", "my-requests": "本单位申请", "review-history": "已处理的申请", "plan-preview": "方案预览", "bulk-errors": "出错的行", "bulk-preview": "待保存的行",
}

_CATALOG: dict[str, dict[str, dict[Any, str]]] = {"zh-CN": _ZH_CN}

STATUS_LABELS: dict[str, str] = _ZH_CN["status"]
REASON_LABELS: dict[str, str] = _ZH_CN["reason"]
EVENT_TYPE_LABELS: dict[str, str] = _ZH_CN["event_type"]
ROLE_LABELS: dict[str, str] = _ZH_CN["role"]
MONTH_LABELS: dict[int, str] = _ZH_CN["month"]
COLUMN_LABELS: dict[str, str] = _ZH_CN["column"]
PAGE_TITLES: dict[str, str] = _ZH_CN["page"]
TEXT: dict[str, str] = _ZH_CN["text"]

# High contrast and colour-blind aware: done and on-track differ in hue family AND lightness
# (dark green vs blue), at-risk is amber, overdue a deep red, not-started neutral grey.
STATUS_COLORS: dict[str, str] = {
    "done": "#1b7837",
    "on_track": "#2c7bb6",
    "at_risk": "#f0a202",
    "overdue": "#c0392b",
    "not_started": "#9e9e9e",
}
# Text drawn on top of a status colour: dark on amber and grey, white elsewhere.
STATUS_TEXT_COLORS: dict[str, str] = {
    "done": "#ffffff",
    "on_track": "#ffffff",
    "at_risk": "#1a1a1a",
    "overdue": "#ffffff",
    "not_started": "#1a1a1a",
}
# Lists and tables: worst first (what leadership should look at before anything else).
STATUS_ORDER: tuple[str, ...] = ("overdue", "at_risk", "on_track", "not_started", "done")
# Legends: the life of an activity from done to not started, the same in every chart.
STATUS_LEGEND_ORDER: tuple[str, ...] = ("done", "on_track", "at_risk", "overdue", "not_started")

EVENT_TYPE_ORDER: tuple[str, ...] = tuple(EVENT_TYPE_LABELS)
# Sixteen distinguishable colours (Tableau 10 + six), in EVENT_TYPE_ORDER.
EVENT_TYPE_COLORS: dict[str, str] = dict(zip(EVENT_TYPE_ORDER, (
    "#7f7f7f", "#bab0ac", "#9467bd", "#17becf", "#1f77b4", "#2ca02c",
    "#ff7f0e", "#8c564b", "#d62728", "#e377c2", "#006d2c", "#393b79",
    "#bcbd22", "#ad494a", "#637939", "#843c39",
)))

ROLE_COLORS: dict[str, str] = {"lead": "#08519c", "partner": "#9ecae1"}

_GROUP_ORDER = ("column", "status", "reason", "event_type", "role", "page", "text", "ui", "month")


def catalog(lang: str | None = None) -> dict[str, dict[Any, str]]:
    """All label groups of a language (``KeyError`` for a language not in the catalogue)."""
    return _CATALOG[lang or DEFAULT_LANGUAGE]


def languages() -> tuple[str, ...]:
    return tuple(_CATALOG)


def label(key: Any, group: str | None = None, lang: str | None = None) -> str:
    """The label of ``key``: in ``group`` when given, else the first group that knows it.

    Unknown keys come back as ``str(key)`` so a new status or column never breaks a page.
    """
    groups = catalog(lang)
    if group is not None:
        return groups[group].get(key, str(key))
    for name in _GROUP_ORDER:
        if key in groups[name]:
            return groups[name][key]
    return str(key)


def status_label(status: str, lang: str | None = None) -> str:
    return label(status, "status", lang)


def status_text(status: str, reason: str | None = None, lang: str | None = None, pending: bool = False) -> str:
    """The status as every table, tooltip, export and bulletin says it: 预警 names why, ``预警（临近截止）``;
    an activity whose completion awaits the office adds ``· 待审核`` (``逾期 · 待审核``: still overdue)."""
    text = status_label(status, lang)
    text = f"{text}（{label(reason, 'reason', lang)}）" if status == "at_risk" and reason else text
    return text + label("review_pending_suffix", "ui", lang) if pending else text


def event_type_label(event_type: str, lang: str | None = None) -> str:
    return label(event_type, "event_type", lang)


def role_label(role: str, lang: str | None = None) -> str:
    return label(role, "role", lang)


def month_label(month: int, year: int | None = None, lang: str | None = None) -> str:
    """``5月``, or ``2022年5月`` when a year is given."""
    text = label(int(month), "month", lang)
    return f"{year}年{text}" if year is not None else text


def column_label(column: str, lang: str | None = None) -> str:
    return label(column, "column", lang)


def export_name(name: str, lang: str | None = None) -> str:
    """The Chinese file (and sheet) name of an export; its page name when none is set."""
    return label(name, "export", lang)


def export_title(what: str, plan_title: str, as_of: dt.date) -> list[str]:
    """The title of an exported chart picture: what it shows, then the plan and the as-of date,
    so a PNG pasted into a report still says what and when (two lines)."""
    return [what, f"{plan_title} · {as_of_label(as_of, with_year=True)}"]


def page_title(page: str, lang: str | None = None) -> str:
    return label(page, "page", lang)


def date_label(day: dt.date | Any, with_year: bool = False) -> str:
    """``5月20日`` (or ``2022年5月20日``); empty for a missing date (None, NaT)."""
    if day is None:
        return ""
    try:
        import pandas as pd  # local: labels stays importable without pandas
        if pd.isna(day):
            return ""
    except (TypeError, ValueError, ImportError):
        pass
    prefix = f"{day.year}年" if with_year else ""
    return f"{prefix}{day.month}月{day.day}日"


def as_of_label(day: dt.date, with_year: bool = False) -> str:
    """``截至 5月20日`` — the caption of the as-of rule (``截至 2022年5月20日`` with the year)."""
    return f"{TEXT['as_of']} {date_label(day, with_year)}"


def ui(key: str, lang: str | None = None) -> str:
    """A word of the pages (headings, filter names, messages), else any label with that key."""
    groups = catalog(lang)
    return groups["ui"].get(key) or label(key, lang=lang)
