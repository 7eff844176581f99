"""Our transcription (not ../shared's ground truth) of the year-on-year statements the real reports in
../shared/real-pdfs print, read off the PDF page by page: (scope, path) → (actual, change, change_pct, page).
A 持平 is a change of 0 and 0 %. The 社会工作部 (set up in 2024) prints no 三公 (无“三公”经费), so no 三公 statement."""

from __future__ import annotations

REAL_PRIOR_YEAR = {
    "finance": {  # 上海市普陀区财政局2024年度部门决算.pdf
        ("grand_total", None): ("2995.39", "-56.95", "-1.87", 21),  # 收入支出总计减少56.95万元，下降1.87%
        ("fiscal_total", None): ("0.3", "0.00", "0.00", 21),  # 财政拨款收入支出总计0.3万元 … 持平 (as printed)
        ("gpb_total", None): ("2940.05", "-63.14", "-2.10", 21),  # 减少63.14万元，下降2.10%
        ("sangong_total", None): ("0.00", "0.00", "0.00", 23),  # 决算数与2023年度持平 (决算为0.00万元)
        ("sangong_item", "overseas"): ("0.00", "0.00", "0.00", 23),  # 因公出国（境）费支出决算持平
        ("sangong_item", "vehicle_total"): ("0.00", "0.00", "0.00", 23),  # 公务用车购置及运行维护费支出决算持平
        ("sangong_item", "reception"): ("0.00", "0.00", "0.00", 23),  # 公务接待费支出决算持平
        ("admin_operation", None): ("184.65", "2.55", "1.40", 23),  # 比2023年度增加2.55万元，增长1.40%
    },
    "social": {  # 中共上海市普陀区委社会工作部 2024 年度部门决算.pdf
        ("grand_total", None): ("307.82", "307.82", "100.00", 17),
        ("fiscal_total", None): ("307.82", "307.82", "100.00", 17),
        ("gpb_total", None): ("307.82", "307.82", "100.00", 18),
        ("admin_operation", None): ("10.23", "10.23", "100.00", 21),
    },
}
