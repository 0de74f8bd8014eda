"""The audit trail: an append-only list of who did what, when, to which record.

Events are written only through the typed functions in :mod:`ipshield.audit.events`, inside the
same transaction as the change they describe. Rows are never updated or deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipshield.common.models import AppendOnlyModel


class Verb(models.TextChoices):
    """The closed list of things that can happen. Add a member and a function in events.py."""

    USER_SIGNED_UP = "user.signed_up", _("注册账号")
    USER_CREATED = "user.created", _("创建人员")
    USER_ROLES_CHANGED = "user.roles_changed", _("变更角色")
    UNIT_CREATED = "unit.created", _("创建单位")
    LEADING_GROUP_SEAT_SET = "leading_group.seat_set", _("领导组成员任职")
    TOKEN_ISSUED = "token.issued", _("签发接口令牌")
    TOKEN_REVOKED = "token.revoked", _("吊销接口令牌")
    RECORD_SHARED = "record.shared", _("共享记录")
    ENTITY_CREATED = "entity.created", _("登记市场主体")
    ENTITY_UPDATED = "entity.updated", _("修改市场主体")
    RIGHTS_HOLDER_CREATED = "rights_holder.created", _("登记权利人")
    RIGHT_REGISTERED = "right.registered", _("登记知识产权")
    RIGHT_VERIFIED = "right.verified", _("核验知识产权")
    RIGHT_REJECTED = "right.rejected", _("驳回知识产权")
    RIGHT_EXPIRED = "right.expired", _("知识产权到期")
    EVIDENCE_PRESERVED = "evidence.preserved", _("电子存证")
    PUBLICATION_CREATED = "publication.created", _("公示行政处罚决定")
    PUBLICATION_WITHDRAWN = "publication.withdrawn", _("撤回行政处罚公示")
    PUBLICATION_EXPIRED = "publication.expired", _("行政处罚公示期满")
    TYPICAL_CASE_CREATED = "typical_case.created", _("编写典型案例")
    TYPICAL_CASE_UPDATED = "typical_case.updated", _("修改典型案例")
    TYPICAL_CASE_PUBLISHED = "typical_case.published", _("发布典型案例")
    TYPICAL_CASE_UNPUBLISHED = "typical_case.unpublished", _("撤下典型案例")
    FILE_REVIEW_CREATED = "file_review.created", _("案卷评查")
    REWARD_PROPOSED = "reporter_reward.proposed", _("提出举报奖励")
    REWARD_APPROVED = "reporter_reward.approved", _("批准举报奖励")
    REWARD_REFUSED = "reporter_reward.refused", _("不予举报奖励")
    REWARD_PAID = "reporter_reward.paid", _("发放举报奖励")
    PROTECTED_MARK_ADDED = "protected_mark.added", _("登记受保护商标")
    PROTECTED_MARK_STOPPED = "protected_mark.stopped", _("停止监测商标")
    LISTINGS_IMPORTED = "listings.imported", _("导入商品信息")
    LISTING_FEED_ADDED = "listing_feed.added", _("添加商品信息源")
    ALERT_DISMISSED = "alert.dismissed", _("排除侵权预警")
    ALERT_TO_LEAD = "alert.to_lead", _("预警转为线索")
    COUNTERFEIT_TERM_CHANGED = "counterfeit_term.changed", _("修改假冒用语")
    CREDIT_RECORD_CREATED = "credit_record.created", _("生成信用记录")
    CREDIT_RECORD_REMOVED = "credit_record.removed", _("移除信用记录")
    CREDIT_RECORD_HIDDEN = "credit_record.hidden", _("信用记录公示期满")
    JOINT_MEASURE_SAVED = "joint_measure.saved", _("修改联合惩戒措施")
    LIST_STEP = "dishonesty_list.step", _("严重违法失信名单办理")
    ENTITY_MATCH_DECIDED = "entity_match.decided", _("确认主体识别")
    AUDIT_LOG_READ = "audit_log.read", _("查阅审计记录")
    CALENDAR_CHANGED = "calendar.changed", _("修改工作日历")
    PLAN_IMPORTED = "plan.imported", _("导入实施方案")
    PLAN_PUBLISHED = "plan.published", _("发布实施方案")
    PLAN_CHANGED = "plan.changed", _("修改方案督办设置")
    ASSIGNMENT_SET = "assignment.set", _("指定责任单位")
    ASSIGNMENT_REMOVED = "assignment.removed", _("取消责任分工")
    PROGRESS_REPORTED = "progress.reported", _("报送任务进展")
    PROGRESS_REVIEWED = "progress.reviewed", _("审核任务进展")
    MEASURE_COMPLETED = "measure.completed", _("任务措施完成")
    SUPERVISION_NOTICE_ISSUED = "supervision_notice.issued", _("发出督办单")
    MEETING_RECORDED = "meeting.recorded", _("记录领导组会议")
    INCIDENT_REPORTED = "incident.reported", _("报告重大事件")
    INCIDENT_ACKNOWLEDGED = "incident.acknowledged", _("签收重大事件报告")
    EVALUATION_SHEET_CREATED = "evaluation_sheet.created", _("建立考核指标表")
    INDICATOR_SAVED = "indicator.saved", _("修改考核指标")
    INDICATOR_REMOVED = "indicator.removed", _("删除考核指标")
    EVALUATION_VALUE_ENTERED = "evaluation_value.entered", _("录入考核得分")
    EVALUATION_FINALIZED = "evaluation.finalized", _("确定年度考核结果")
    ACCOUNTABILITY_RECORDED = "accountability.recorded", _("登记通报或约谈")
    COMMENDATION_RECORDED = "commendation.recorded", _("登记表彰")
    ORGANISATION_SAVED = "dispute_organisation.saved", _("修改纠纷化解组织")
    MEDIATOR_SAVED = "mediator.saved", _("修改调解员信息")
    CONFLICT_DECLARED = "conflict.declared", _("申报利害关系")
    CONFLICT_REMOVED = "conflict.removed", _("撤回利害关系申报")
    CLUSTER_RULE_SAVED = "cluster_rule.saved", _("修改调解优先规则")


class AuditEvent(AppendOnlyModel):
    verb = models.CharField(_("事件"), max_length=64, choices=Verb.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("操作单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_type = models.CharField(_("对象类型"), max_length=64, db_index=True)
    target_id = models.CharField(_("对象编号"), max_length=64, db_index=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_verb_display()} {self.target_type}#{self.target_id}"
