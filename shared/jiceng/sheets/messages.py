"""Texts of the codes a spreadsheet's rows are refused with (Chinese, English)."""

from jiceng.messages import Message

#: The ``sheet.*`` codes of every service's imports.
SHEET_MESSAGES: dict[str, Message] = {
    "sheet.xls_unsupported": Message(
        "不支持旧版 .xls 文件",
        "Old .xls files are not supported",
        "请在 Excel 中另存为 .xlsx 或 CSV 后再导入",
        "Save the file as .xlsx or CSV in Excel, then import it",
    ),
    "sheet.unreadable": Message(
        "文件无法读取",
        "File cannot be read",
        "文件不是有效的 xlsx 或 CSV（{reason}）",
        "The file is not a valid xlsx or CSV ({reason})",
    ),
    "sheet.header_not_found": Message(
        "未找到表头",
        "Header not found",
        "前 10 行中没有包含这些列名的表头：{expected}",
        "No header naming these columns in the first 10 rows: {expected}",
    ),
    "sheet.too_large": Message(
        "文件解压后过大",
        "File unpacks too large",
        "文件解压后有 {unpacked_mib} MiB，超过 {limit_mib} MiB；请分成几个文件导入",
        "The file unpacks to {unpacked_mib} MiB, more than {limit_mib} MiB; split it into "
        "several files",
    ),
    "sheet.row_too_wide": Message(
        "行的单元格过多",
        "Row too wide",
        "一行最多 {limit} 个单元格；请删除表格右侧的空列后重新导入",
        "A row holds at most {limit} cells; delete the empty columns on the right and import again",
    ),
    "import.media_type": Message(
        "不支持的文件类型",
        "Unsupported file type",
        "上传的是 {given}；请上传 xlsx 或 CSV 文件：{allowed}",
        "The upload is {given}; send an xlsx or CSV file: {allowed}",
    ),
    "sheet.mapping_invalid": Message(
        "列映射文件无效", "Invalid mapping file", "{reason}", "{reason}"
    ),
    "sheet.mapping_unknown_field": Message(
        "列映射文件中有未知字段",
        "Unknown fields in the mapping file",
        "未知字段：{fields}",
        "Unknown fields: {fields}",
    ),
    "sheet.required": Message(
        "必填项为空", "Required value missing", "“{column}”不能为空", "“{column}” is required"
    ),
    "sheet.too_long": Message(
        "内容过长",
        "Value too long",
        "“{column}”最多 {limit} 个字符",
        "“{column}” takes at most {limit} characters",
    ),
    "sheet.not_single_line": Message(
        "内容须为单行文字",
        "Value must be one line of text",
        "“{column}”含有换行、控制字符或不可见字符",
        "“{column}” contains a line break, a control character or an invisible one",
    ),
    "sheet.date_invalid": Message(
        "日期无法识别",
        "Date not recognised",
        "“{value}”不是日期（可写作 2019-07-01、2019/7/1、2019.07.01 或 2019年7月1日）",
        "“{value}” is not a date (write 2019-07-01, 2019/7/1, 2019.07.01 or 2019年7月1日)",
    ),
    "sheet.resident_id_stored_as_number": Message(
        "身份证号被存成了数字",
        "ID number stored as a number",
        "“{value}”被 Excel 存为数字：Excel 只保留 15 位有效数字，18 位号码的末几位会丢失；"
        "请将该列设为文本格式后重新填写",
        "Excel stored “{value}” as a number: it keeps 15 significant digits, so an "
        "18-character number loses its last ones; format the column as text and type the "
        "numbers again",
    ),
    "sheet.resident_id_invalid": Message(
        "身份证号无效",
        "Invalid ID number",
        "“{value}”不是有效的身份证号",
        "“{value}” is not a valid ID number",
    ),
    "sheet.phone_invalid": Message(
        "手机号无效",
        "Invalid phone number",
        "“{value}”不是电话号码",
        "“{value}” is not a phone number",
    ),
    "sheet.value_unknown": Message(
        "取值无法识别",
        "Value not recognised",
        "“{value}”不在可选值中：{allowed}",
        "“{value}” is not one of: {allowed}",
    ),
    "sheet.duplicate_row": Message(
        "文件中重复",
        "Duplicate in the file",
        "与第 {first_row} 行是同一条记录",
        "The same record as row {first_row}",
    ),
    "sheet.dates_out_of_order": Message(
        "日期先后顺序不对",
        "Dates out of order",
        "“{later}”（{later_on}）早于“{earlier}”（{earlier_on}）",
        "“{later}” ({later_on}) is before “{earlier}” ({earlier_on})",
    ),
    "sheet.org_unknown": Message(
        "找不到该组织",
        "Organisation not found",
        "找不到“{value}”；相近的有：{suggestions}",
        "No organisation “{value}”; close matches: {suggestions}",
    ),
    "sheet.org_ambiguous": Message(
        "组织名称不唯一",
        "Organisation name is ambiguous",
        "“{value}”对应多个组织，请改用组织代码：{codes}",
        "“{value}” names several organisations; use the code instead: {codes}",
    ),
    "sheet.not_imported_file_invalid": Message(
        "文件有错误，未导入",
        "File has errors; nothing imported",
        "{refused} 行有错误；修正后重新导入，或只导入无误的行（accept_valid）",
        "{refused} row(s) have errors; fix them and import again, or import the valid rows "
        "only (accept_valid)",
    ),
}
