"""Build the preset fixtures: one small export per preset, shaped like the real files
(headers, encodings, quirks, as docs/presets.md describes them), and a corpus of broken
files. Deterministic: the same bytes every run (tests check this).

    python tests/data/presets/make_fixtures.py [OUT_DIR]
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).parent

# --- writers -------------------------------------------------------------------------------


def csv_bytes(
    header: list[str],
    rows: list[list[str]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    crlf: bool = False,
    quote_all: bool = False,
) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(
        buf,
        delimiter=delimiter,
        lineterminator="\r\n" if crlf else "\n",
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


class Serial(float):
    """A number stored in an xlsx cell with a date format (Excel's serial date)."""


def _col(i: int) -> str:
    s, i = "", i + 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _cell(ref: str, v: object) -> str:
    if isinstance(v, Serial):
        return f'<c r="{ref}" s="1"><v>{float(v)!r}</v></c>'
    if isinstance(v, (int, float)):
        return f'<c r="{ref}"><v>{v!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(v))}</t></is></c>'


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_NS = "http://schemas.openxmlformats.org"


def xlsx_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    """A minimal workbook with inline strings (like 千牛's), typed numbers and dates."""
    lines = [f'{_XML}<worksheet xmlns="{_NS}/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate([header, *rows], 1):
        cells = "".join(_cell(f"{_col(c)}{r}", v) for c, v in enumerate(row) if v not in (None, ""))
        lines.append(f'<row r="{r}">{cells}</row>')
    lines.append("</sheetData></worksheet>")
    rel = f"{_NS}/officeDocument/2006/relationships"
    files = {
        "[Content_Types].xml": f'{_XML}<Types xmlns="{_NS}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>",
        "_rels/.rels": f'{_XML}<Relationships xmlns="{_NS}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{_XML}<workbook xmlns="{_NS}/spreadsheetml/2006/main" xmlns:r="{rel}">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'{_XML}<Relationships xmlns="{_NS}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": f'{_XML}<styleSheet xmlns="{_NS}/spreadsheetml/2006/main">'
        '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
        '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="22" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>",
        "xl/worksheets/sheet1.xml": "".join(lines),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)
    return buf.getvalue()


# --- Taobao ------------------------------------------------------------------------------------

# The 54-column 订单报表 header of ≈2018 (trailing spaces as exported) + 发货时间 (later versions).
TAOBAO_V1_HEADER = [
    "订单编号",
    "买家会员名",
    "买家支付宝账号",
    "买家应付货款",
    "买家应付邮费",
    "买家支付积分",
    "总金额",
    "返点积分",
    "买家实际支付金额",
    "买家实际支付积分",
    "订单状态",
    "买家留言",
    "收货人姓名",
    "收货地址 ",
    "运送方式",
    "联系电话 ",
    "联系手机",
    "订单创建时间",
    "订单付款时间 ",
    "宝贝标题 ",
    "宝贝种类 ",
    "物流单号 ",
    "物流公司",
    "订单备注",
    "宝贝总数量",
    "店铺Id",
    "店铺名称",
    "订单关闭原因",
    "卖家服务费",
    "买家服务费",
    "发票抬头",
    "是否手机订单",
    "分阶段订单信息",
    "特权订金订单id",
    "是否上传合同照片",
    "是否上传小票",
    "是否代付",
    "定金排名",
    "修改后的sku",
    "修改后的收货地址",
    "异常信息",
    "天猫卡券抵扣",
    "集分宝抵扣",
    "是否是O2O交易",
    "新零售交易类型",
    "新零售导购门店名称",
    "新零售导购门店id",
    "新零售发货门店名称",
    "新零售发货门店id",
    "退款金额",
    "预约门店",
    "确认收货时间",
    "打款商家金额",
    "含应开票给个人的个人红包",
    "发货时间",
]


def taobao_v1_row(
    oid: str,
    nick: str,
    paid: str,
    status: str,
    created: str,
    paid_at: str,
    qty: str,
    close: str,
    refund: str,
    confirmed: str,
    shipped: str,
) -> list[str]:
    values = dict.fromkeys(TAOBAO_V1_HEADER, "")
    values.update(
        {
            "订单编号": f'="{oid}"',
            "买家会员名": nick,
            "买家支付宝账号": "**",
            "买家应付货款": paid,
            "买家应付邮费": "0.00",
            "总金额": paid,
            "买家实际支付金额": paid,
            "订单状态": status,
            "收货人姓名": "张*",
            "收货地址 ": "浙江省 杭州市 西湖区 ****",
            "运送方式": "快递",
            "联系手机": "'138****0000",
            "订单创建时间": created,
            "订单付款时间 ": paid_at,
            "宝贝标题 ": "纯棉T恤 男款",
            "宝贝种类 ": "1",
            "物流单号 ": "No:YT1234567890",
            "物流公司": "圆通速递",
            "宝贝总数量": qty,
            "店铺Id": "57300001",
            "店铺名称": "木子星河百货店",
            "订单关闭原因": close,
            "是否手机订单": "手机订单",
            "退款金额": refund,
            "确认收货时间": confirmed,
            "打款商家金额": f"{paid}元" if confirmed else "0.00元",
            "发货时间": shipped,
        }
    )
    return [values[h] for h in TAOBAO_V1_HEADER]


TAOBAO_V1_ROWS = [
    # 19-digit id; Excel-resaved date formats on this row
    taobao_v1_row(
        "3851234567890123456",
        "tb_小鹿",
        "128.50",
        "交易成功",
        "2018/5/16 9:41",
        "2018/5/16 9:42",
        "2",
        "订单未关闭",
        "0.00",
        "2018/5/19 10:00",
        "2018/5/16 18:05",
    ),
    # ASCII comma variant of the status
    taobao_v1_row(
        "1622334455667788",
        "星河user",
        "59.00",
        "买家已付款,等待卖家发货",
        "2024-12-12 08:20:10",
        "2024-12-12 08:24:29",
        "1",
        "订单未关闭",
        "0.00",
        "",
        "",
    ),
    taobao_v1_row(
        "1622334455667789",
        "暖阳",
        "1199.00",
        "卖家已发货，等待买家确认",
        "2024-12-12 09:00:00",
        "2024-12-12 09:01:00",
        "3",
        "订单未关闭",
        "0.00",
        "",
        "2024-12-13 10:00:00",
    ),
    taobao_v1_row(
        "1622334455667790",
        "知味",
        "35.00",
        "交易关闭",
        "2024-12-12 10:00:00",
        "",
        "1",
        "买家未付款",
        "0.00",
        "",
        "",
    ),
    taobao_v1_row(
        "1622334455667791",
        "tb_小鹿",
        "88.00",
        "交易关闭",
        "2024-12-12 11:00:00",
        "2024-12-12 11:05:00",
        "1",
        "退款",
        "88.00",
        "",
        "",
    ),
]

TAOBAO_ITEMS_V1_HEADER = [
    "订单编号",
    "标题",
    "价格",
    "购买数量",
    "外部系统编号",
    "商品属性",
    "套餐信息",
    "备注",
    "订单状态",
    "商家编码",
]
TAOBAO_ITEMS_V1_ROWS = [
    [
        '="3851234567890123456"',
        "纯棉T恤 男款",
        "49.00",
        "1",
        "",
        "颜色分类:白;尺码:L",
        "",
        "",
        "交易成功",
        "TS-WHITE-L",
    ],
    [
        '="3851234567890123456"',
        "纯棉T恤 男款",
        "39.75",
        "1",
        "",
        "颜色分类:黑;尺码:M",
        "",
        "",
        "交易成功",
        "TS-BLACK-M",
    ],
    [
        '="1622334455667788"',
        "帆布包",
        "59.00",
        "1",
        "",
        "颜色分类:米白",
        "",
        "",
        "买家已付款，等待卖家发货",
        "BAG-01",
    ],
]

TAOBAO_V2_HEADER = [
    "订单编号",
    "支付单号",
    "支付详情",
    "买家应付货款",
    "买家应付邮费",
    "总金额",
    "买家实付金额",
    "订单状态",
    "收货地址",
    "运送方式",
    "订单创建时间",
    "订单付款时间",
    "商品标题",
    "宝贝种类",
    "物流单号",
    "物流公司",
    "商家备注",
    "宝贝总数量",
    "店铺名称",
    "订单关闭原因",
    "商家编码",
    "发货时间",
    "确认收货时间",
    "退款金额",
    "确认收货打款金额",
]


def taobao_v2_row(**kw: object) -> list[object]:
    row: dict[str, object] = dict.fromkeys(TAOBAO_V2_HEADER, "")
    row.update(
        {
            "支付详情": "支付方式：支付宝|",
            "运送方式": "快递",
            "收货地址": "上海 上海市 ***",
            "店铺名称": "暖阳优选服饰旗舰店",
            "订单关闭原因": "订单未关闭",
        }
    )
    row.update(kw)
    return [row[h] for h in TAOBAO_V2_HEADER]


TAOBAO_V2_ROWS = [
    # typed date cells (Excel serials with a date format) and a numeric amount
    taobao_v2_row(
        订单编号="4012345678901234567",
        支付单号="2024121222001",
        买家实付金额=65.0,
        订单状态="交易成功",
        订单创建时间=Serial(45638.5),
        订单付款时间=Serial(45638.50069444445),
        宝贝总数量="3",
        商家编码="LACURA-40G",
        发货时间="2024-12-13 09:00:00",
        确认收货时间="2024-12-15 09:00:00",
        退款金额="无退款申请",
        确认收货打款金额="65.00",
    ),
    # a date as a bare serial number (no date format) and an amount with ¥ and a comma
    taobao_v2_row(
        订单编号="4012345678901234568",
        买家实付金额="¥1,280.00",
        订单状态="卖家已发货，等待买家确认",
        订单创建时间=45639.25,
        订单付款时间="2024-12-13 06:01:00",
        宝贝总数量=1,
        发货时间="2024-12-13 20:00:00",
        退款金额="无退款申请",
    ),
    taobao_v2_row(
        订单编号="4012345678901234569",
        买家实付金额="0.00",
        订单状态="等待买家付款",
        订单创建时间="2024-12-14 10:00:00",
        宝贝总数量="1",
        退款金额="无退款申请",
    ),
]

TAOBAO_ITEMS_V2_HEADER = [
    "子订单编号",
    "主订单编号",
    "商品标题",
    "商品价格",
    "购买数量",
    "外部系统编号",
    "商品属性",
    "套餐信息",
    "联系方式备注",
    "订单状态",
    "商家编码",
    "支付单号",
    "买家应付货款",
    "买家实付金额",
    "退款状态",
    "退款金额",
    "订单创建时间",
    "订单付款时间",
    "商品ID",
]
TAOBAO_ITEMS_V2_ROWS = [
    [
        "4012345678901234560",
        "4012345678901234567",
        "LACURA 隔离霜",
        "20.00",
        2,
        "",
        "商品规格:40g",
        "",
        "",
        "交易成功",
        "LACURA-40G",
        "",
        "40.00",
        "40.00",
        "没有申请退款",
        "无退款申请",
        "2024-12-12 12:00:00",
        "2024-12-12 12:01:00",
        "100",
    ],
    [
        "4012345678901234561",
        "4012345678901234567",
        "护手霜",
        "25.00",
        1,
        "",
        "商品规格:75g",
        "",
        "",
        "交易成功",
        "",
        "",
        "25.00",
        "25.00",
        "没有申请退款",
        "无退款申请",
        "2024-12-12 12:00:00",
        "2024-12-12 12:01:00",
        "200",
    ],
]

TAOBAO_REFUNDS_HEADER = [
    "退款编号",
    "订单编号",
    "支付宝交易号",
    "订单付款时间",
    "商品编码",
    "退款完结时间",
    "买家实际支付金额",
    "宝贝标题",
    "买家退款金额",
    "手工退款/系统退款",
    "是否需要退货",
    "退款的申请时间",
    "退款状态",
    "货物状态",
    "发货物流信息",
    "客服介入状态",
    "卖家真实姓名",
    "买家退款原因",
    "买家退款说明",
    "售中或售后",
]


def refund_row(
    rid: str, oid: str, amount: str, reason: str, status: str, asked: str, done: str, intervene: str
) -> list[str]:
    return [
        rid,
        oid,
        "2024121222001",
        "2024-12-12 11:05:00",
        "TS-1",
        done,
        amount,
        "纯棉T恤",
        amount,
        "系统退款",
        "否",
        asked,
        status,
        "买家未收到货",
        "",
        intervene,
        "王*",
        reason,
        "",
        "售中退款",
    ]


TAOBAO_REFUNDS_ROWS = [
    refund_row(
        "90001",
        "1622334455667791",
        "88.00",
        "质量问题",
        "退款成功",
        "2024-12-12 12:00:00",
        "2024-12-12 15:30:00",
        "客服未介入",
    ),
    refund_row(
        "90002",
        "1622334455667789",
        "600.00",
        "七天无理由退换货",
        "退款关闭",
        "2024-12-14 09:00:00",
        "2024-12-15 09:00:00",
        "不需要客服介入",
    ),
    refund_row(
        "90003",
        "3851234567890123456",
        "39.75",
        "与描述不符",
        "买家已经申请退款,等待卖家同意",
        "2018-05-20 09:00:00",
        "",
        "需要客服介入",
    ),
    # two refunds of one order: both completed, amounts summed
    refund_row(
        "90004",
        "1622334455667788",
        "20.00",
        "未按约定时间发货",
        "退款成功",
        "2024-12-13 08:00:00",
        "2024-12-13 09:00:00",
        "",
    ),
    refund_row(
        "90005",
        "1622334455667788",
        "10.00",
        "其他",
        "退款成功",
        "2024-12-13 10:00:00",
        "2024-12-13 12:00:00",
        "",
    ),
]

TRADERATES_HEADER = [
    "tid",
    "oid",
    "role",
    "nick",
    "result",
    "created",
    "rated_nick",
    "item_title",
    "item_price",
    "content",
    "reply",
    "num_iid",
    "valid_score",
]
TRADERATES_ROWS = [
    [
        "3851234567890123456",
        "3851234567890123450",
        "buyer",
        "t**1",
        "good",
        "2018-05-20 10:00:00",
        "木子星河百货店",
        "纯棉T恤",
        "49.00",
        '很满意，"正品"无疑',
        "",
        "5001",
        "true",
    ],
    [
        "1622334455667789",
        "1622334455667780",
        "buyer",
        "暖**",
        "neutral",
        "2024-12-16 11:00:00",
        "木子星河百货店",
        "帆布包",
        "1199.00",
        "一般般",
        "",
        "5002",
        "true",
    ],
    [
        "1622334455667791",
        "1622334455667792",
        "buyer",
        "t**1",
        "bad",
        "2024-12-16 12:00:00",
        "木子星河百货店",
        "帆布包",
        "88.00",
        "质量太差",
        "抱歉",
        "5003",
        "true",
    ],
    [
        "1622334455667788",
        "1622334455667783",
        "buyer",
        "星**",
        "good",
        "2024-12-30 00:00:00",
        "木子星河百货店",
        "帆布包",
        "59.00",
        "评价方未及时做出评价,系统默认好评!",
        "",
        "5004",
        "false",
    ],
    [
        "1622334455667788",
        "1622334455667783",
        "seller",
        "木子星河百货店",
        "good",
        "2024-12-20 00:00:00",
        "星**",
        "帆布包",
        "59.00",
        "好买家",
        "",
        "5004",
        "true",
    ],
]

PLUGIN_HEADER = ["评论内容", "追加评论", "评分", "日期", "SKU", "用户昵称", "商家回复", "平台"]
PLUGIN_ROWS = [
    [
        "包装严实，客服态度好",
        "用了一周还不错",
        "5",
        "2024-12-14 23:00:51",
        "颜色分类:白",
        "t**1",
        "",
        "淘宝",
    ],
    ["有点小瑕疵", "", "2", "2024/12/15 8:05", "颜色分类:黑", "小**", "亲，已为您处理", "天猫"],
    ["该用户觉得商品非常好", "", "5", "2024-12-16", "颜色分类:白", "a**b", "", "淘宝"],
]

# --- Douyin, JD, PDD -------------------------------------------------------------------------

DOUYIN_HEADER = [
    "主订单编号",
    "子订单编号",
    "选购商品",
    "商品规格",
    "商品数量",
    "商品ID",
    "商家编码",
    "商品单价",
    "商品金额",
    "订单应付金额",
    "运费",
    "优惠总金额",
    "支付方式",
    "订单提交时间",
    "支付完成时间",
    "承诺发货时间",
    "发货时间",
    "订单完成时间",
    "订单状态",
    "售后状态",
    "取消原因",
    "收件人",
    "收件人手机号",
    "快递单号",
    "快递公司",
    "商家备注",
    "买家留言",
]


def douyin_row(
    main: str,
    sub: str,
    qty: str,
    sku: str,
    amount: str,
    created: str,
    paid: str,
    shipped: str,
    done: str,
    status: str,
    after: str,
) -> list[str]:
    return [
        f"{main}\t",
        f"{sub}\t",
        "加厚保温杯 500ml",
        "颜色:黑",
        qty,
        "3581234567\t",
        f"{sku}  ",
        "1,299.00",
        amount,
        amount,
        "0.00",
        "0.00",
        "抖音支付",
        created,
        paid,
        "2024-12-14 10:00:00",
        shipped,
        done,
        status,
        after,
        "",
        "李**",
        "138****1111",
        "SF123",
        "顺丰速运",
        "",
        "",
    ]


DOUYIN_ROWS = [
    douyin_row(
        "6938271645012345678",
        "6938271645012345679",
        "1",
        "CUP-BLK",
        "1,299.00",
        "2024-12-12 10:00:00",
        "2024-12-12 10:00:30",
        "2024-12-12 18:00:00",
        "2024-12-15 09:00:00",
        "已完成",
        "无售后",
    ),
    douyin_row(
        "6938271645012345678",
        "6938271645012345680",
        "2",
        "CUP-RED",
        "2,598.00",
        "2024-12-12 10:00:00",
        "2024-12-12 10:00:30",
        "2024-12-13 08:00:00",
        "2024-12-16 09:00:00",
        "已完成",
        "无售后",
    ),
    douyin_row(
        "6938271645012345681",
        "6938271645012345682",
        "1",
        "CUP-BLK",
        "99.90",
        "2024-12-13 11:00:00",
        "2024-12-13 11:01:00",
        "",
        "",
        "已关闭",
        "退款成功",
    ),
    douyin_row(
        "6938271645012345683",
        "6938271645012345684",
        "1",
        "CUP-BLK",
        "99.90",
        "2024-12-13 12:00:00",
        "2024-12-13 12:01:00",
        "2024-12-14 09:00:00",
        "",
        "已发货",
        "",
    ),
]

JD_HEADER = [
    "订单号",
    "商品ID",
    "商品名称",
    "订购数量",
    "支付方式",
    "下单时间",
    "京东价",
    "订单金额",
    "结算金额",
    "余额支付",
    "应付金额",
    "订单状态",
    "订单类型",
    "下单帐号",
    "客户姓名",
    "客户地址",
    "联系电话",
    "订单备注",
    "发票类型",
    "发票抬头",
    "发票内容",
    "商家备注",
    "商家备注等级（等级1-5为由高到低）",
    "运费金额",
    "付款确认时间",
    "增值税发票",
    "货号",
    "订单完成时间",
    "订单来源",
    "订单渠道",
]


def jd_row(
    oid: str,
    sku: str,
    qty: str,
    created: str,
    total: str,
    payable: str,
    status: str,
    pin: str,
    paid: str,
    done: str,
) -> list[str]:
    return [
        oid,
        sku,
        "京东自营 坚果礼盒",
        qty,
        "在线支付",
        created,
        "99.00",
        total,
        payable,
        "0.00",
        payable,
        status,
        "SOP",
        pin,
        "赵*",
        "北京 朝阳区 ****",
        "",
        "",
        "电子发票",
        "个人",
        "商品明细",
        "",
        "",
        "0.00",
        paid,
        "",
        "HH-01",
        done,
        "移动端",
        "京东APP",
    ]


JD_ROWS = [
    jd_row(
        "285123456789",
        "100012345678",
        "2",
        "2024-12-12 08:00:00",
        "297.00",
        "287.00",
        "完成",
        "jd_pin01",
        "2024-12-12 08:01:00",
        "2024-12-14 18:00:00",
    ),
    jd_row(
        "285123456789",
        "100012345679",
        "1",
        "2024-12-12 08:00:00",
        "297.00",
        "287.00",
        "完成",
        "jd_pin01",
        "2024-12-12 08:01:00",
        "2024-12-14 18:00:00",
    ),
    jd_row(
        "285123456790",
        "100012345678",
        "1",
        "2024-12-13 09:00:00",
        "99.00",
        "99.00",
        "(删除)等待出库",
        "jd_pin02",
        "2024-12-13 09:00:10",
        "",
    ),
    jd_row(
        "285123456791",
        "100012345678",
        "1",
        "2024-12-13 10:00:00",
        "99.00",
        "99.00",
        "等待确认收货",
        "jd_pin03",
        "2024-12-13 10:00:10",
        "",
    ),
]

PDD_HEADER = [
    "商品",
    "订单号",
    "订单状态",
    "商品总价(元)",
    "店铺优惠折扣(元)",
    "平台优惠折扣(元)",
    "邮费(元)",
    "用户实付金额(元)",
    "商家实收金额(元)",
    "商品数量(件)",
    "收货人",
    "手机",
    "用户购买手机号",
    "省",
    "市",
    "区",
    "街道",
    "支付时间",
    "拼单成功时间",
    "订单确认时间",
    "订单成交时间",
    "承诺发货时间",
    "发货时间",
    "确认收货时间",
    "商品id",
    "商品规格",
    "样式ID",
    "商家编码-SKU维度",
    "商家编码-商品维度",
    "快递单号",
    "快递公司",
    "商家备注",
    "售后状态",
    "买家留言",
]


def pdd_row(
    oid: str,
    status: str,
    paid_amount: str,
    qty: str,
    paid: str,
    deal: str,
    shipped: str,
    confirmed: str,
    sku: str,
    after: str,
) -> list[str]:
    return [
        "纸巾 3层 24包",
        oid,
        status,
        paid_amount,
        "0.00",
        "0.00",
        "0.00",
        paid_amount,
        paid_amount,
        qty,
        "陈**",
        "\t",
        "\t",
        "广东省",
        "深圳市",
        "南山区",
        "",
        paid,
        paid,
        paid,
        deal,
        "2024-12-15 10:00:00",
        shipped,
        confirmed,
        "88001",
        "24包",
        "77001",
        sku,
        "TISSUE",
        "",
        "",
        "",
        after,
        "",
    ]


PDD_ROWS = [
    pdd_row(
        "241212-123456789012345",
        "已签收",
        "¥29.90",
        "1",
        "2024-12-12 10:00:00",
        "2024-12-12 10:00:05",
        "2024-12-12 20:00:00",
        "2024-12-14 10:00:00",
        "TISSUE-24",
        "无售后或售后取消",
    ),
    pdd_row(
        "241212-123456789012346",
        "已发货，待签收",
        "59.80",
        "2",
        "2024-12-12 11:00:00",
        "2024-12-12 11:00:05",
        "2024-12-13 09:00:00",
        "",
        "TISSUE-24",
        "售后处理中",
    ),
    pdd_row(
        "241212-123456789012347",
        "未发货，退款成功",
        "29.90",
        "1",
        "2024-12-12 12:00:00",
        "2024-12-12 12:00:05",
        "",
        "",
        "TISSUE-24",
        "退款成功",
    ),
]

# --- Shopify, review apps, Amazon --------------------------------------------------------------

SHOPIFY_HEADER = [
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Accepts Marketing",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Shipping Method",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem compare at price",
    "Lineitem sku",
    "Lineitem requires shipping",
    "Lineitem taxable",
    "Lineitem fulfillment status",
    "Billing Name",
    "Billing Zip",
    "Shipping Zip",
    "Notes",
    "Cancelled at",
    "Payment Method",
    "Refunded Amount",
    "Vendor",
    "Outstanding Balance",
    "Id",
    "Tags",
    "Risk Level",
    "Source",
]


def shopify_row(
    first: bool,
    name: str,
    email: str,
    fin: str,
    paid: str,
    ful: str,
    fulfilled: str,
    total: str,
    created: str,
    qty: str,
    sku: str,
    cancelled: str,
    refunded: str,
    oid: str,
) -> list[str]:
    order = (
        [
            email,
            fin,
            paid,
            ful,
            fulfilled,
            "no",
            "EUR",
            total,
            "0.00",
            "0.00",
            total,
            "",
            "0.00",
            "Standard",
        ]
        if first
        else ["", "", "", "", "", "", "", "", "", "", "", "", "", ""]
    )
    tail = (
        [
            "Jane Doe",
            "'75008",
            "'75008",
            "",
            cancelled,
            "Shopify Payments",
            refunded,
            "Acme",
            "0.00",
            oid,
            "",
            "Low",
            "web",
        ]
        if first
        else ["", "", "", "", "", "", "", "Acme", "", "", "", "", ""]
    )
    return [
        name,
        *order,
        created,
        qty,
        f"Item {sku}",
        "10.00",
        "",
        sku,
        "true",
        "true",
        "fulfilled" if ful == "fulfilled" else "pending",
        *tail,
    ]


SHOPIFY_ROWS = [
    shopify_row(
        True,
        "#1001",
        "jane@example.com",
        "paid",
        "2025-10-07 09:50:26 +0200",
        "fulfilled",
        "2025-10-08 14:00:00 +0200",
        "1,024.50",
        "2025-10-07 09:49:00 +0200",
        "2",
        "MUG-1",
        "",
        "0.00",
        "5801234567890",
    ),
    shopify_row(
        False,
        "#1001",
        "",
        "",
        "",
        "fulfilled",
        "",
        "",
        "2025-10-07 09:49:00 +0200",
        "1",
        "MUG-2",
        "",
        "",
        "",
    ),
    shopify_row(
        True,
        "#1002",
        "marc@example.fr",
        "refunded",
        "2025-10-09 10:00:00 +0200",
        "unfulfilled",
        "",
        "15.00",
        "2025-10-09 09:59:00 +0200",
        "1",
        "MUG-1",
        "2025-10-09 12:00:00 +0200",
        "15.00",
        "5801234567891",
    ),
    shopify_row(
        True,
        "#1003",
        "",
        "pending",
        "",
        "",
        "",
        "8.00",
        "2025-10-10 08:00:00 +0200",
        "1",
        "MUG-3",
        "",
        "0.00",
        "5801234567892",
    ),
]

SPR_HEADER = [
    "product_handle",
    "state",
    "rating",
    "title",
    "author",
    "email",
    "location",
    "body",
    "reply",
    "created_at",
    "replied_at",
]
SPR_ROWS = [
    [
        "blue-mug",
        "published",
        "5",
        "Love it",
        "Jane",
        "jane@example.com",
        "Paris",
        "Great mug",
        "",
        "2025-03-02 10:12:00 UTC",
        "",
    ],
    [
        "blue-mug",
        "published",
        "2",
        "",
        "Marc",
        "marc@example.fr",
        "Lyon",
        "Chipped on arrival",
        "Sorry!",
        "2025-03-03 08:00:00 UTC",
        "2025-03-03 09:00:00 UTC",
    ],
]
JUDGEME_HEADER = [
    "title",
    "body",
    "rating",
    "review_date",
    "source",
    "curated",
    "reviewer_name",
    "reviewer_email",
    "product_id",
    "product_handle",
    "reply",
    "reply_date",
    "picture_urls",
    "ip_address",
    "location",
]
JUDGEME_ROWS = [
    [
        "Nice",
        "Works well",
        "4",
        "2023-06-01T10:00:00-04:00",
        "web",
        "ok",
        "Ann",
        "ann@example.com",
        "7001",
        "blue-mug",
        "",
        "",
        "",
        "",
        "US",
    ],
    [
        "BUY NOW",
        "cheap pills",
        "5",
        "2023-06-02T10:00:00-04:00",
        "web",
        "spam",
        "Bot",
        "bot@example.com",
        "7001",
        "blue-mug",
        "",
        "",
        "",
        "",
        "",
    ],
]
YOTPO_HEADER = [
    "Review Title",
    "Review Content",
    "Review Score",
    "Date",
    "Product ID",
    "Product Name",
    "Display Name",
    "Email",
]
YOTPO_ROWS = [
    ["Okay", "Does the job", "3", "2026-09-02", "7001", "Blue mug", "Bo", "bo@example.com"]
]
OKENDO_HEADER = [
    "reviewId",
    "productId",
    "rating",
    "title",
    "body",
    "reviewer.name",
    "reviewer.email",
    "dateCreated",
]
OKENDO_ROWS = [
    [
        "rev-7f3a",
        "7001",
        "1",
        "Broken",
        "Arrived broken",
        "Cy",
        "cy@example.com",
        "2025-01-05T08:30:00Z",
    ]
]

AMAZON_HEADER = [
    "amazon-order-id",
    "merchant-order-id",
    "purchase-date",
    "last-updated-date",
    "order-status",
    "fulfillment-channel",
    "sales-channel",
    "order-channel",
    "ship-service-level",
    "product-name",
    "sku",
    "asin",
    "item-status",
    "quantity",
    "currency",
    "item-price",
    "item-tax",
    "shipping-price",
    "shipping-tax",
    "gift-wrap-price",
    "gift-wrap-tax",
    "item-promotion-discount",
    "ship-promotion-discount",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "promotion-ids",
    "is-business-order",
    "purchase-order-number",
    "price-designation",
]


def amazon_row(
    oid: str,
    purchased: str,
    status: str,
    name: str,
    sku: str,
    qty: str,
    price: str,
    ship: str,
    promo: str,
) -> list[str]:
    return [
        oid,
        "",
        purchased,
        purchased,
        status,
        "Merchant",
        "Amazon.fr",
        "",
        "Standard",
        name,
        sku,
        "B0ABCDEF12",
        status,
        qty,
        "EUR" if price else "",
        price,
        "",
        ship,
        "",
        "",
        "",
        promo,
        "",
        "Besançon",
        "",
        "25000",
        "FR",
        "",
        "false",
        "",
        "",
    ]


AMAZON_ROWS = [
    amazon_row(
        "403-1234567-1234567",
        "2024-01-05T10:20:30+00:00",
        "Shipped",
        "Crème brûlée set",
        "CB-SET",
        "1",
        "24.99",
        "3.00",
        "-2.00",
    ),
    amazon_row(
        "403-1234567-1234567",
        "2024-01-05T10:20:30+00:00",
        "Shipped",
        "Ramequin café",
        "RAM-2",
        "2",
        "15.00",
        "0.00",
        "",
    ),
    amazon_row(
        "403-7654321-7654321",
        "2024-01-06T08:00:00+00:00",
        "Pending",
        "Crème brûlée set",
        "CB-SET",
        "1",
        "",
        "",
        "",
    ),
    amazon_row(
        "403-1111111-2222222",
        "2024-01-06T09:00:00+00:00",
        "Cancelled",
        "Ramequin café",
        "RAM-2",
        "1",
        "",
        "",
        "",
    ),
]

AMAZON_RETURNS_HEADER = [
    "Order ID",
    "Order date",
    "Return request date",
    "Return request status",
    "Amazon RMA ID",
    "Merchant RMA ID",
    "Label type",
    "Label cost",
    "Currency code",
    "Return carrier",
    "Tracking ID",
    "Label to be paid by",
    "A-to-Z Claim",
    "Is prime",
    "ASIN",
    "Merchant SKU",
    "Item Name",
    "Return quantity",
    "Return Reason",
    "In policy",
    "Return type",
    "Resolution",
    "Invoice number",
    "Return delivery date",
    "Order Amount",
    "Order quantity",
    "SafeT action reason",
    "SafeT claim id",
    "SafeT claim state",
    "SafeT claim creation time",
    "SafeT claim reimbursement amount",
    "Refunded Amount",
    "Category",
]


def return_row(oid: str, asked: str, status: str, reason: str, refunded: str) -> list[str]:
    values = dict.fromkeys(AMAZON_RETURNS_HEADER, "")
    values.update(
        {
            "Order ID": oid,
            "Order date": "05-Jan-2024",
            "Return request date": asked,
            "Return request status": status,
            "Return Reason": reason,
            "Refunded Amount": refunded,
            "Merchant SKU": "CB-SET",
            "Return quantity": "1",
        }
    )
    return [values[h] for h in AMAZON_RETURNS_HEADER]


AMAZON_RETURNS_ROWS = [
    return_row(
        "403-1234567-1234567", "2024-01-10T09:00:00+00:00", "Closed", "CR-DEFECTIVE", "24.99"
    ),
    return_row(
        "403-7654321-7654321", "2024-01-11T09:00:00+00:00", "Approved", "CR-UNWANTED_ITEM", "0.00"
    ),
]

# --- broken files --------------------------------------------------------------------------------

SMALL_V1_HEADER = [
    "订单编号",
    "买家会员名",
    "买家实际支付金额",
    "订单状态",
    "订单创建时间",
    "订单付款时间 ",
    "店铺Id",
]
SMALL_V1_ROWS = [
    [
        '="1622334455667788"',
        "星河user",
        "59.00",
        "交易成功",
        "2024-12-12 08:20:10",
        "2024-12-12 08:24:29",
        "5730",
    ],
    [
        '="1622334455667789"',
        "暖阳",
        "99.00",
        "交易成功",
        "2024-12-12 09:00:00",
        "2024-12-12 09:01:00",
        "5730",
    ],
    [
        '="1622334455667790"',
        "知味",
        "35.00",
        "交易成功",
        "2024-12-12 10:00:00",
        "2024-12-12 10:01:00",
        "5730",
    ],
]


def _small(
    rows_patch: dict[tuple[int, int], str] | None = None, header: list[str] | None = None
) -> list[list[str]]:
    rows = [list(r) for r in SMALL_V1_ROWS]
    for (r, c), v in (rows_patch or {}).items():
        rows[r][c] = v
    return rows


def broken_files() -> dict[str, bytes]:
    good = csv_bytes(SMALL_V1_HEADER, SMALL_V1_ROWS)
    gbk_row = csv_bytes(SMALL_V1_HEADER, [SMALL_V1_ROWS[2]], encoding="gbk").split(b"\n", 1)[1]
    utf8_two = csv_bytes(SMALL_V1_HEADER, SMALL_V1_ROWS[:2])
    dup_header = [*SMALL_V1_HEADER[:3], "订单状态", *SMALL_V1_HEADER[3:]]
    return {
        "truncated.csv": good[: good.rindex(b"2024-12-12 10:00:00")] + b"2024-12-1",
        "mixed_encodings.csv": utf8_two + gbk_row,
        "duplicated_header.csv": csv_bytes(
            dup_header, [[*r[:3], r[3], *r[3:]] for r in SMALL_V1_ROWS]
        ),
        "missing_column.csv": csv_bytes(
            [h for h in SMALL_V1_HEADER if h != "订单创建时间"],
            [[v for i, v in enumerate(r) if i != 4] for r in SMALL_V1_ROWS],
        ),
        "bad_date.csv": csv_bytes(SMALL_V1_HEADER, _small({(1, 4): "2024-13-45 25:00"})),
        "money_text.csv": csv_bytes(SMALL_V1_HEADER, _small({(2, 2): "五十九元"})),
        "id_rounded.csv": csv_bytes(SMALL_V1_HEADER, _small({(0, 0): "1.62233E+15"})),
        "unknown_status.csv": csv_bytes(SMALL_V1_HEADER, _small({(1, 3): "已退货"})),
        "empty.csv": b"",
        "header_only.csv": csv_bytes(SMALL_V1_HEADER, []),
        "ragged.csv": good.replace(
            b"\xe6\x9a\x96\xe9\x98\xb3,", b"\xe6\x9a\x96\xe9\x98\xb3,extra,", 1
        ),
    }


# --- all fixtures ----------------------------------------------------------------------------------


def fixtures() -> dict[str, bytes]:
    files = {
        "taobao_orders_v1.csv": csv_bytes(
            TAOBAO_V1_HEADER, TAOBAO_V1_ROWS, encoding="gbk", crlf=True
        ),
        "taobao_items_v1.csv": csv_bytes(
            TAOBAO_ITEMS_V1_HEADER, TAOBAO_ITEMS_V1_ROWS, encoding="gbk", crlf=True
        ),
        "taobao_orders_v2.xlsx": xlsx_bytes(TAOBAO_V2_HEADER, TAOBAO_V2_ROWS),
        "taobao_items_v2.xlsx": xlsx_bytes(TAOBAO_ITEMS_V2_HEADER, TAOBAO_ITEMS_V2_ROWS),
        "taobao_refunds.csv": csv_bytes(
            TAOBAO_REFUNDS_HEADER, TAOBAO_REFUNDS_ROWS, encoding="gbk", crlf=True
        ),
        "taobao_traderates.csv": csv_bytes(TRADERATES_HEADER, TRADERATES_ROWS),
        "taobao_review_plugin.csv": csv_bytes(PLUGIN_HEADER, PLUGIN_ROWS, encoding="utf-8-sig"),
        "douyin_orders.csv": csv_bytes(DOUYIN_HEADER, DOUYIN_ROWS, encoding="utf-8-sig"),
        "jd_orders.csv": csv_bytes(JD_HEADER, JD_ROWS, encoding="gbk", crlf=True),
        "pdd_orders.csv": csv_bytes(PDD_HEADER, PDD_ROWS, encoding="gb18030"),
        "shopify_orders.csv": csv_bytes(SHOPIFY_HEADER, SHOPIFY_ROWS),
        "shopify_product_reviews.csv": csv_bytes(SPR_HEADER, SPR_ROWS),
        "judgeme_reviews.csv": csv_bytes(JUDGEME_HEADER, JUDGEME_ROWS),
        "yotpo_reviews.csv": csv_bytes(YOTPO_HEADER, YOTPO_ROWS),
        "okendo_reviews.csv": csv_bytes(OKENDO_HEADER, OKENDO_ROWS),
        "amazon_all_orders.txt": csv_bytes(
            AMAZON_HEADER, AMAZON_ROWS, encoding="cp1252", delimiter="\t"
        ),
        "amazon_returns.txt": csv_bytes(AMAZON_RETURNS_HEADER, AMAZON_RETURNS_ROWS, delimiter="\t"),
    }
    files.update({f"broken/{name}": data for name, data in broken_files().items()})
    return files


def build(out: Path) -> list[Path]:
    written = []
    for name, data in fixtures().items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for p in build(target):
        print(p)
