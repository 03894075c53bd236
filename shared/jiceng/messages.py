"""Message catalogue for problem codes: Chinese by default, English on request.

A service's texts are a :class:`Messages` its composition root builds from the kernel's
codes and its own (``ServiceDefinition(messages=...)``); nothing registers into a global. A
detail template is formatted with the error's parameters; a missing parameter leaves the
placeholder visible rather than failing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from string import Formatter
from typing import Any


@dataclass(frozen=True)
class Message:
    title_zh: str
    title_en: str
    detail_zh: str = ""
    detail_en: str = ""


class _Lenient(Formatter):
    def get_value(self, key: int | str, args: Any, kwargs: Any) -> Any:
        if isinstance(key, str) and key not in kwargs:
            return "{" + key + "}"
        return super().get_value(key, args, kwargs)


class Messages:
    """The problem texts one service answers with: later catalogues override earlier ones."""

    def __init__(self, *catalogues: Mapping[str, Message]) -> None:
        self._messages: dict[str, Message] = {}
        for catalogue in catalogues:
            self._messages.update(catalogue)

    def __contains__(self, code: object) -> bool:
        return code in self._messages

    def lookup(self, code: str) -> Message:
        return self._messages.get(code, Message(title_zh=code, title_en=code))

    def render(self, code: str, params: dict[str, Any], *, english: bool) -> tuple[str, str]:
        """Return (title, detail) for ``code`` in the requested language."""
        message = self.lookup(code)
        title = message.title_en if english else message.title_zh
        template = message.detail_en if english else message.detail_zh
        joiner = ", " if english else "、"
        shown = {
            k: joiner.join(map(str, v)) if isinstance(v, (list, tuple)) else v
            for k, v in params.items()
        }
        detail = _Lenient().format(template, **shown) if template else title
        return title, detail


#: The kernel's own codes (requests, auth, concurrency, personal data, internal errors).
KERNEL_MESSAGES: dict[str, Message] = {
    "request.invalid": Message(
        "请求参数无效", "Invalid request", "请求中有无效字段：{fields}", "Invalid fields: {fields}"
    ),
    "request.malformed_body": Message(
        "请求体不是有效的 JSON",
        "Malformed request body",
        "请求体无法解析：{reason}",
        "The body cannot be parsed: {reason}",
    ),
    "request.invalid_encoding": Message(
        "请求不是有效的 UTF-8",
        "Request is not valid UTF-8",
        "{location} 含有无效的 UTF-8 字节",
        "{location} holds bytes that are not UTF-8",
    ),
    "request.control_character": Message(
        "请求含有控制字符",
        "Control character in request",
        "{location} 第 {position} 个字符为控制字符 {character}，不能保存",
        "{location} holds the control character {character} at position {position}; "
        "it cannot be stored",
    ),
    "request.too_deep": Message(
        "请求嵌套过深",
        "Request nested too deeply",
        "{location} 嵌套超过 {limit} 层",
        "{location} is nested more than {limit} levels deep",
    ),
    "request.number_out_of_range": Message(
        "数值超出范围",
        "Number out of range",
        "{location} 的数值超出范围",
        "{location} is out of range",
    ),
    "request.body_too_large": Message(
        "请求体过大",
        "Request body too large",
        "请求体超过 {limit} 字节",
        "The body exceeds {limit} bytes",
    ),
    "request.malformed_cursor": Message(
        "分页游标无效", "Malformed cursor", "游标 {cursor} 无法解析", "Cursor {cursor} is malformed"
    ),
    "resource.not_found": Message(
        "资源不存在", "Not found", "未找到 {resource} {id}", "No {resource} {id}"
    ),
    "route.not_found": Message("接口不存在", "No such endpoint", "{path}", "{path}"),
    "method.not_allowed": Message("不支持的请求方法", "Method not allowed", "{method}", "{method}"),
    "auth.unauthenticated": Message("未认证", "Not authenticated", "{reason}", "{reason}"),
    "auth.forbidden_role": Message(
        "权限不足",
        "Forbidden",
        "此操作需要以下角色之一：{required}",
        "This operation needs one of the roles: {required}",
    ),
    "concurrency.stale_version": Message(
        "版本已过期",
        "Stale version",
        "资源当前版本为 {current}，请求基于版本 {expected}",
        "The resource is at version {current}; the request was based on {expected}",
    ),
    "concurrency.conflict": Message(
        "并发修改冲突",
        "Concurrent change",
        "同一记录已被另一请求先行修改，请重新读取后再试",
        "Another request changed the same record first; read it again and retry",
    ),
    "concurrency.precondition_malformed": Message(
        "If-Match 格式无效", "Malformed If-Match", "{value}", "{value}"
    ),
    "idempotency.key_reused": Message(
        "幂等键已用于不同请求",
        "Idempotency key reused",
        "幂等键 {key} 已用于另一请求体",
        "Idempotency key {key} was used with a different request body",
    ),
    "storage.unavailable": Message(
        "存储暂不可用",
        "Storage unavailable",
        "数据库暂时无法访问，请在 {retry_after} 秒后重试",
        "The database cannot be reached at the moment; try again in {retry_after} seconds",
    ),
    "auth.keys_unavailable": Message(
        "暂时无法验证令牌",
        "Token keys unavailable",
        "暂时无法从身份提供方获取验证令牌的密钥，请在 {retry_after} 秒后重试",
        "The identity provider's keys cannot be fetched at the moment; "
        "try again in {retry_after} seconds",
    ),
    "ids.uscc_length": Message(
        "统一社会信用代码长度错误",
        "Wrong length of unified social credit code",
        "{value} 为 {length} 位，应为 18 位",
        "{value} has {length} characters; 18 are required",
    ),
    "ids.uscc_characters": Message(
        "统一社会信用代码含无效字符",
        "Invalid characters in unified social credit code",
        "{value} 含有不允许的字符（不得含 I、O、S、V、Z）",
        "{value} has characters outside the code's alphabet (no I, O, S, V, Z)",
    ),
    "ids.uscc_region": Message(
        "统一社会信用代码行政区划码错误",
        "Bad region in unified social credit code",
        "第3–8位 {region} 应为数字",
        "Characters 3–8 ({region}) must be digits",
    ),
    "ids.uscc_check_digit": Message(
        "统一社会信用代码校验位错误",
        "Wrong check character in unified social credit code",
        "{value} 的校验位应为 {expected}",
        "The check character of {value} should be {expected}",
    ),
    "ids.resident_id_format": Message(
        "身份证号码格式错误",
        "Malformed resident ID number",
        "{value} 不是 18 位身份证号码（17 位数字加一位校验码 0–9 或 X）",
        "{value} is not an 18-character ID number (17 digits and a check character 0–9 or X)",
    ),
    "ids.resident_id_check_digit": Message(
        "身份证号码校验位错误",
        "Wrong check digit in resident ID number",
        "{value} 的校验位与前 17 位不符，多为录入有误，请核对",
        "The check character of {value} does not match its first 17 digits: most often a "
        "typing error",
    ),
    "ids.resident_id_birth_date": Message(
        "身份证号码出生日期无效",
        "Invalid birth date in resident ID number",
        "{value} 的第 7–14 位不是有效日期",
        "Characters 7–14 of {value} are not a valid date",
    ),
    "policy.unknown_pack": Message(
        "政策包不存在", "Unknown policy pack", "未找到政策包 {pack}", "No policy pack {pack}"
    ),
    "policy.rule_missing": Message(
        "政策包缺少规则",
        "Rule missing from policy pack",
        "政策包 {pack} 未规定 {rule}",
        "Policy pack {pack} does not state {rule}",
    ),
    "calendar.year_not_official": Message(
        "该年度节假日安排尚未公布",
        "No official holiday schedule for that year",
        "{year} 年的节假日和调休安排尚无官方数据（已有：{official_years}），不能计算工作日",
        "Working days cannot be computed in {year}: no official schedule yet "
        "(known: {official_years})",
    ),
    "calendar.date_outside_year": Message(
        "日期不在该年度内", "Dates outside the year", "{year}：{dates}", "{year}: {dates}"
    ),
    "calendar.day_off_and_workday": Message(
        "同一天不能既放假又上班", "A day cannot be both off and worked", "{dates}", "{dates}"
    ),
    "calendar.workday_not_weekend": Message(
        "调休上班日应为周末", "Make-up workdays must be weekend days", "{dates}", "{dates}"
    ),
    "calendar.count_not_positive": Message(
        "工作日数须为正数", "Count must be positive", "{count}", "{count}"
    ),
    "audit.stream_not_yet_created": Message(
        "该时刻记录尚未建立", "Not yet created at that moment", "{id} @ {at}", "{id} @ {at}"
    ),
    "audit.version_not_reached": Message(
        "版本不存在",
        "No such version",
        "{id} 最新版本为 {latest}，请求版本 {version}",
        "{id} is at version {latest}; version {version} was asked for",
    ),
    "personal.purpose_required": Message(
        "查看完整个人信息须说明用途",
        "A purpose is required to see whole personal data",
        "请以 purpose 说明查看用途，查看将被记录",
        "Say why in purpose; the disclosure is recorded",
    ),
    "auth.scoped_principal_refused": Message(
        "限定范围的调用方不能读取全量数据",
        "Scoped principals cannot read this",
        "此接口包含所有组织的数据，仅限不限范围的调用方；当前凭据限于组织 {org}",
        "This endpoint holds every organisation's data and is for unscoped callers only; "
        "these credentials are limited to organisation {org}",
    ),
    "personal.not_sealed": Message(
        "个人信息未加密", "Personal data not sealed", "{field}", "{field}"
    ),
    "personal.cannot_open": Message(
        "个人信息无法解密", "Personal data cannot be opened", "{field}", "{field}"
    ),
    "internal.error": Message(
        "服务器内部错误",
        "Internal error",
        "请求 {request_id} 处理失败",
        "Request {request_id} failed",
    ),
}
