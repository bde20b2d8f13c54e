"""Text banks for the demo: comment texts are composed from openers, cores, product names, skin
details, endings, sticker codes and emoji, so thirty thousand comments read like a real comment
section instead of a few dozen repeated strings. Slang follows `formats/xhs-language.md`."""

from __future__ import annotations

import random

BRAND_NAME = "澄肌实验室"
BRANDED_TOPIC = "澄肌打卡挑战"
BRANDED_HASHTAG = f"#{BRANDED_TOPIC}[话题]#"
CRISIS_PRODUCT = "焕亮精华"

# (full name, what commenters call it, list price in yuan)
BRAND_PRODUCTS = [
    ("澄肌修护精华 30ml", "修护精华", 229),
    ("澄肌氨基酸洁面 120g", "洁面", 89),
    ("澄肌屏障修护霜 50g", "屏障霜", 199),
    ("澄肌焕亮精华 30ml", CRISIS_PRODUCT, 259),
    ("澄肌清透防晒乳 SPF50+", "防晒", 139),
    ("澄肌补水面膜 5片装", "面膜", 99),
    ("澄肌舒缓喷雾 150ml", "喷雾", 79),
    ("澄肌A醇晚霜 30g", "A醇晚霜", 269),
    ("澄肌修护水乳套装", "水乳套装", 399),
]
MAKEUP_ITEMS = ["粉底液", "气垫", "遮瑕", "眼影盘", "腮红", "口红", "唇釉", "素颜霜", "卸妆油", "洗面奶",
                "定妆喷雾", "眉笔", "修容盘", "散粉", "睫毛膏"]
SHADES = ["01自然色", "N1", "#M01", "豆沙色", "烂番茄色", "奶茶色", "02象牙白", "玫瑰豆沙", "#116", "C02"]
SKIN_TYPES = ["油皮", "干皮", "混油皮", "混干皮", "敏感肌", "痘肌", "大油田", "黄黑皮", "中性皮"]
CONCERNS = ["泛红", "闭口", "痘印", "毛孔粗大", "暗沉", "屏障受损", "干燥起皮", "出油", "红血丝", "细纹", "黑头"]
COMPETITORS = ["大牌精华", "某国货精华", "之前用的修护霜", "医美面膜", "平替款"]

STICKERS_POSITIVE = ["[赞R]", "[种草R]", "[买爆R]", "[萌萌哒R]", "[害羞R]", "[哇R]", "[黄金薯R]"]
STICKERS_NEGATIVE = ["[生气R]", "[拔草R]", "[哭惹R]", "[石化R]"]
STICKERS_NEUTRAL = ["[笑哭R]", "[偷笑R]", "[捂脸R]", "[微笑R]", "[暗中观察R]", "[doge]", "[哭惹R]"]
EMOJI_POSITIVE = ["😍", "🥰", "❤️", "👍", "🔥", "😭", "✨", "💕", "🙌"]
EMOJI_NEGATIVE = ["🙄", "😡", "🥲", "😅", "😤", "💔"]
EMOJI_NEUTRAL = ["😂", "🤔", "👀", "🙏", "😅", "🥲", "🤣"]

PROVINCES = ["广东", "上海", "北京", "浙江", "江苏", "四川", "湖北", "山东", "福建", "湖南", "河南", "重庆",
             "陕西", "天津", "辽宁", "安徽", "云南", "广西", "江西", "黑龙江", "香港", "海外", "中国"]
PROVINCE_WEIGHTS = [14, 12, 9, 9, 9, 6, 5, 5, 4, 4, 4, 4, 3, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1]
CITIES = ["上海", "北京", "广州", "深圳", "杭州", "成都", "武汉", "南京", "苏州", "重庆", "西安", "长沙", "厦门"]

NICK_PREFIXES = ["", "", "", "是", "一只", "小", "阿", "爱吃", "不吃香菜的", "今天也要", "早睡的", "熬夜的",
                 "努力变美的", "暴躁的", "佛系", "元气", "社恐", "干饭", "会发光的", "摸鱼的", "想瘦的"]
NICK_NOUNS = ["阿狸", "橘子", "小鹿", "桃桃", "芋泥", "奶盖", "小羊", "糖糖", "可乐", "柚子", "兔兔", "鱼丸",
              "饭团", "布丁", "栗子", "大白", "七七", "萌萌", "晴天", "月亮", "小满", "团子", "西柚", "豆豆",
              "momo", "Coco", "Yuki", "Vivian", "Mia", "Luna", "Ann", "Sunny", "Kiki"]
NICK_SUFFIXES = ["", "", "", "酱", "呀", "🍑", "_", "同学", "本人", "ovo", "2333", "0521", "✨", "er",
                 "在上海", "不吃辣", "的日常", "爱护肤", "🌙", "（营业中）"]
SPAM_NICKNAMES = ["全国精准客户", "电销外包服务商", "短信群发106平台", "精准获客-小林", "兼职日结招聘",
                  "代购正品低价", "引流获客专家", "同城精准粉", "电商代运营-阿杰", "涨粉互助群"]
PARTNER_NICKNAMES = ["美妆博主Lily", "护肤测评君", "成分党小王", "星河MCN-商务", "种草达人联盟", "小透明博主Yoyo",
                     "探店的阿May", "皮肤科护士小周"]

# --- comment cores by topic ---------------------------------------------------------------------
Q_OPENERS = ["", "", "", "请问", "求问", "姐妹们", "宝子们", "博主", "想问下", "小白求问", "救命", "有没有人知道",
             "急！", "弱弱问一句", "家人们"]
Q_CONTEXT = ["", "", "", "我是{skin}，", "{skin}{concern}，", "最近{concern}好严重，", "换季{concern}，",
             "用了{n}天了，", "{age}岁{skin}，"]
Q_CORES = ["求链接", "有链接吗", "怎么买", "哪里买", "多少钱", "{p}多少钱呀", "{skin}能用吗", "敏感肌能用吗",
           "{skin}能用{p}吗", "{p}适合{skin}吗", "孕妇能用吗", "学生党能用吗", "{p}和{p2}能一起用吗",
           "{p}早上用还是晚上用", "{p}需要建立耐受吗", "对{concern}有用吗", "用了多久见效的", "{p}会闷痘吗",
           "{p}搓泥吗", "有没有小样", "有没有平替", "{p}保质期多久", "开封后能放多久", "{p}是什么味道的",
           "男生可以用吗", "{age}岁能用吗", "是什么牌子", "和{competitor}比哪个好", "夏天用会不会油",
           "求推荐适合{skin}的", "有成分表吗", "{p}含酒精吗", "有香精吗", "{concern}严重的能用吗",
           "{p}用完要叠加什么", "{p}可以湿敷吗"]
Q_TAILS = ["", "", "？", "？？", "呀", "呢", "～", "🙏", "[哭惹R]", "[暗中观察R]", "，蹲一个", "，在线等",
           "，同求", "？求回复"]
Q_SHORT = ["蹲", "蹲一个", "蹲链接", "同求", "码住", "mark", "马克一下", "滴滴", "求链接！！", "同问", "蹲蹲",
           "蹲一个{p}链接"]

P_OPENERS = ["", "", "", "啊啊啊", "姐妹们", "救命", "真心推荐，", "说真的，", "不是广告！", "自用{k}个月，",
             "亲测，", "谁懂啊，", "{skin}亲测，", "家人们，"]
P_CORES = ["{p}真的绝绝子", "{p}yyds", "{p}无限回购", "已经回购{k}瓶了", "{p}空瓶了，{verdict}", "被种草了",
           "已下单", "{p}是我的爱用物", "闭眼入", "{p}真的好用到哭", "{p}是{skin}天花板", "爱了爱了",
           "{skin}的救星", "用了{n}周{concern}真的好多了", "{concern}明显淡了", "皮肤稳定多了", "真香",
           "宝藏品牌", "吹爆{p}", "安利给了我妈", "这个价格性价比太高了", "温和不刺激", "上脸很舒服",
           "吸收很快不黏腻", "{p}+{p2}组合绝了", "冲冲冲", "一整个爱住", "狠狠爱住", "第{k}瓶{p}了",
           "{p}封神", "换季全靠{p}续命", "{p}用完皮肤会发光", "惊艳到我了", "{concern}终于救回来了"]
P_VERDICTS = ["会回购", "一整个爱住", "真的有用", "皮肤稳定多了", "还会再买", "已经囤了两瓶"]

C_OPENERS = ["", "", "", "说实话，", "无语，", "避雷！", "姐妹们别买了，", "踩雷了，", "真的服了，", "呵呵，"]
C_CORES = ["用了{p}烂脸了", "{p}过敏了", "{p}搓泥严重", "用了{n}天没效果", "{p}上脸刺痛", "闷痘了",
           "爆了一脸闭口", "假滑，一点都不保湿", "踩雷了", "避雷{p}", "拔草了", "{p}翻车", "{skin}劝退",
           "感觉是智商税", "鸡肋", "不值这个价", "上脸就泛红", "用完更干了", "味道好冲", "泵头一按就坏",
           "客服不理人", "客服态度差", "问了三遍都没人回", "售后推来推去", "{p}用到一半变质了",
           "跟宣传的完全不一样"]

SHIP_CORES = ["发货太慢了", "{k}天了还没发货", "快递慢死了", "物流{k}天没动了", "还没到", "包装破损了",
              "收到的瓶子漏了", "发错货了", "催了好几次还没发", "说好48小时发货呢", "物流信息一直不更新"]
PRICE_CORES = ["太贵了", "不值这个价", "刚买就降价了", "双11比我买的便宜{n}块", "能不能出个小样装",
               "学生党买不起", "价格劝退", "什么时候有活动", "降价了能补差价吗", "{p}涨价了？", "有没有优惠券"]
RETURN_CORES = ["想退货怎么弄", "申请退款没人处理", "拆封了能退吗", "过敏了能退款吗", "换货流程是什么",
                "退货运费谁出", "七天无理由能退吗", "售后一直不通过", "退款{k}天了还没到账"]
PARTNER_CORES = ["商务合作请看主页", "有合作吗？可以寄样测评", "接受置换吗", "品牌合作已私信",
                 "求寄样！粉丝{n}w的美妆博主",
                 "可以报备吗，蒲公英已私", "有商单吗", "想做探店合作", "您好，我们是MCN机构，想邀约合作，已私",
                 "可以互推吗"]
SPAM_CORES = ["私我有优惠[偷笑R]", "已私", "私[偷笑R]", "看我主页", "主页有惊喜", "互关互粉～", "加V：{wx}",
              "vx {wx} 有惊喜", "威信{digits}", "有需要的滴滴", "扣1领取", "兼职日结，手机就能做，{phone}",
              "全国精准客户，短信群发106", "低价出正品，主页有", "代购正品，私信", "薇：{wx}", "卫星 {wx}",
              "电话{phone}", "QQ{qq}", "接推广 看主页", "精准获客 日引流1000+", "一件代发 加wx {wx}"]
ABUSE_CORES = ["丑死了", "有病吧", "脑残才买", "滚", "恶心", "傻X品牌", "智障", "你这脸还好意思推荐护肤品？",
               "满脸痘还做护肤博主", "胖成这样就别出来了", "长得跟猪一样", "恶心死了别推了", "垃圾"]
CASUAL_CORES = ["哈哈哈哈", "好可爱", "今天也来打卡了", "沙发", "第一！", "前排", "来了来了", "好看", "博主好漂亮",
                "这个包装好好看", "周末愉快", "天气好冷要注意保湿", "背景音乐是什么", "好治愈", "每天都来看",
                "催更", "爱看", "学到了", "收藏了", "太实用了", "终于等到更新", "这个配色好绝", "看完就想去洗脸",
                "码住慢慢看", "拍得好有氛围感"]
UGC_CORES = [f"{BRANDED_HASHTAG} Day{{d}} 打卡✅", "打卡第{d}天", "我也发了笔记，求翻牌[害羞R]", "晒一下我的空瓶",
             "已经坚持{d}天了", "参加挑战！", f"{BRANDED_HASHTAG} 第{{d}}天，{{concern}}好多了",
             "打卡打卡，今天用的{p}"]
ENGLISH_CORES = ["Love this!", "where can I buy this in the US?", "So pretty 😍", "this broke me out tbh",
                 "does it ship overseas?", "holy grail product", "is it fragrance free?", "need the link pls",
                 "my skin is so much better now", "not worth the hype imo", "OMG 好好看", "求link", "真的很nice",
                 "skin barrier 修护 yyds", "cruelty free吗", "好想try一下", "这个texture太绝了",
                 "pore 变小了 amazing", "ordered 3 bottles lol", "the packaging is so cute"]
MENTION_CORES = ["@{friend} 快看这个！", "@{friend} 你上次说的就是这个吧", "@{friend} 一起冲", "@{friend} 你要的链接",
                 "@{friend} 这个适合你", "@{friend} 我们周末去买", "@{friend} 看看人家的皮肤", "@{friend} [偷笑R]"]
BRAND_TAG_CORES = ["@{brand} 什么时候上新", "@{brand} 求寄小样", "@{brand} 好用！已回购", "@{brand} 出个旅行装吧",
                   "@{brand} 快来看", "@{brand} 这个和你们的{p}能一起用吗"]
CRISIS_CORES = ["用了{p}烂脸了，去医院说是过敏", "避雷{p}！！全脸红肿", "已经投诉了", "打12315了",
                "集体维权，有一样的姐妹吗", "虚假宣传，说好的敏感肌可用呢", "去医院花了{n}百", "烂脸了谁负责",
                "建议大家别买了", "坐等官方回应", "还在卖？良心不会痛吗", "评论区都是受害者", "已举报",
                "黑心品牌", "曝光一下，大家避雷", "准备起诉了，有律师朋友吗", "消协见", "不会是假货吧",
                "退款！", "敏感肌姐妹千万别碰{p}", "一起维权的滴滴我", "皮肤科医生说是激素脸？？",
                "脸上起了一片红疹", "{p}同一批次的都过敏了吧", "删评了？截图了", "我也烂脸了，医院诊断接触性皮炎"]
CRISIS_TAILS = ["", "", "！！！", "[生气R]", "😡", "#避雷[话题]#", "🙄", "[拔草R]", "，已截图", "💔"]

# --- replies ---------------------------------------------------------------------------------------
R_AGREE = ["同求", "+1", "我也是", "蹲", "我也想知道", "一样", "同问", "真的", "哈哈哈哈哈", "是的", "确实", "蹲一个"]
R_ANSWER = ["我{skin}用着还行", "不会，我敏感肌用了没事", "我用了会有点刺痛，建议先试用", "链接在主页橱窗",
            "店铺里有", "{p}现在{price}左右", "晚上用效果好", "我用了一个月，{concern}好多了", "最好建立耐受",
            "我孕期也在用", "不搓泥，要等吸收了再叠加"]
R_EMPATHY = ["抱抱", "我也是！！", "天啊我刚下单", "赶紧停用吧", "去医院看看吧", "姐妹换个试试",
             "真的假的？我用着挺好", "私信官方吧", "心疼"]
R_PRAISE = ["真的吗？被种草了", "同款爱用", "求分享用法", "我也回购了", "看你说的我也想买了", "握手🤝"]
R_SPAM = ["举报了", "又是广告", "别刷了", "广告滚", "已举报"]
R_ABUSE = ["你才丑", "说话这么难听？", "不喜欢可以不看", "博主别理", "我觉得挺好用的啊，别带节奏"]
R_CRISIS = ["我也是！！一模一样", "天啊我也过敏了", "已经在维权群里了", "一起投诉", "我的也是同一批次",
            "官方出来说话", "我去医院开了药", "抱抱姐妹，赶紧停用"]
R_FOLLOWUP = ["好的谢谢！", "已私", "好的已私信", "谢谢回复！", "收到～", "还是没人回我", "私信了没回", "好的我试试",
              "谢谢小助手", "已经好多了，谢谢", "那我先停用观察一下", "好耶", "订单号已发"]

# --- account replies ---------------------------------------------------------------------------------
BRAND_REPLIES = {
    "question": ["{addr}{p}敏感肌可以用的～成分里没有酒精和香精，第一次用建议先在耳后试两天哦",
                 "{addr}链接在主页店铺里～你平时主要的困扰是{concern}吗？可以私信我们帮你搭配",
                 "{addr}早晚都可以用，白天记得叠加防晒哦☀️ 用完一周回来告诉我们感受呀",
                 "{addr}{skin}可以用，建议搭配{p2}，你现在用的是什么水乳呀？",
                 "{addr}不需要建立耐受，不过刚开始可以隔天用，观察一下皮肤状态～",
                 "{addr}目前{p}是{price}元，店铺里有小样可以先试试哦"],
    "complaint": ["{addr}非常抱歉给你带来不好的体验😢 请先停用，方便私信我们订单号和照片吗？我们安排专人跟进",
                  "{addr}看到你的反馈很心疼，已经私信你了，售后我们会负责到底",
                  "{addr}抱歉！搓泥可能和叠加的产品有关，可以私信我们你的护肤步骤，帮你看看"],
    "crisis": ["{addr}非常抱歉！请立即停用{p}，私信我们订单号，我们承担就医费用并全额退款",
               "关于{p}的反馈，我们已第一时间暂停该批次发货并送检。用后不适的顾客请私信订单号，我们承担全部就医费用并全额退款，"
               "进展会在主页持续更新。",
               "{addr}已经私信你了，专员今天会电话联系你，真的很抱歉"],
    "shipping": ["{addr}抱歉让你久等了！已经帮你催仓库加急，私信发我订单号帮你查物流📦",
                 "{addr}这几天单量比较大，我们在加班发货，预计{k}天内发出，真的很抱歉"],
    "price": ["{addr}理解的！这周末店铺有满减活动，可以关注一下～", "{addr}价保期内降价可以联系客服补差价哦",
              "{addr}每月18号会员日有折扣，也可以先买小样试试"],
    "returns": ["{addr}支持7天无理由退货，过敏的话拆封也可以退，私信我们帮你处理",
                "{addr}已经帮你加急处理退款了，有问题随时找我们"],
    "praise": ["{addr}谢谢喜欢！{p}用完了记得来分享心得呀，你是什么肤质呀？",
               "{addr}看到{concern}好转太开心了🥰 坚持用，记得做好防晒",
               "{addr}谢谢宝！回购给你准备了小惊喜，留意一下包裹哦",
               f"{{addr}}被你夸到了[害羞R] 欢迎参加{BRANDED_HASHTAG}呀"],
    "partnership": ["{addr}感谢关注！合作请发邮件到 bd@chengjilab.cn，或私信小助手留下主页链接～"],
    "casual": ["{addr}哈哈哈谢谢你每天来打卡！", "{addr}周末愉快呀～", "{addr}好嘞～今天也要好好护肤"],
    "ugc": ["{addr}太棒了！已经看到你的打卡笔记啦，继续加油💪", "{addr}坚持打卡的宝子都有机会抽到正装哦"],
    "abuse": ["{addr}我们尊重每一种意见，但请友善交流哦"],
    "english": ["{addr}Thanks for the love! 目前只支持国内发货哦", "{addr}Yes, it's fragrance free 🌿"],
    "followup": ["{addr}收到啦，已经在处理了", "{addr}好的，有任何问题随时找我们", "{addr}不客气～"],
}
CREATOR_REPLIES = {
    "question": ["是{cp}哦～链接在合集里", "色号是{shade}", "{addr}干皮也可以，记得先保湿", "下期就出！",
                 "可以试试{cp}", "{addr}我是混油皮，你可以参考一下"],
    "praise": ["哈哈哈谢谢宝！", "谢谢喜欢🥰", "哈哈被发现了", "感谢支持！", "{addr}爱你❤️"],
    "complaint": ["抱抱，换季真的难", "这个是商单哈，已报备，但我是真的在用", "{addr}每个人肤质不一样，谢谢反馈"],
    "casual": ["哈哈哈哈", "{addr}早呀", "谢谢宝", "🥰"],
    "abuse": ["不要这样说嘛"],
    "followup": ["不客气～", "哈哈哈好"],
}

DM_SCRIPTS = {
    "crisis": [("f", "你好，我用了{p}之后脸又红又痒，已经去医院了"), ("f", "[图片]"),
               ("b", "非常抱歉！请问方便提供订单号和医院的诊断照片吗？我们承担就医费用并全额退款"),
               ("f", "订单号{order}"), ("b", "收到，已为你登记，专员会在24小时内电话联系你"),
               ("f", "{closing}")],
    "shipping": [("f", "你好，我的订单{order}怎么还没发货"),
                 ("b", "抱歉久等！帮你查了，仓库今天发出，单号SF{tracking}"),
                 ("f", "好的谢谢")],
    "returns": [("f", "想退货，拆封了能退吗"), ("b", "可以的～过敏或者不合适拆封也能退，麻烦发一下订单号"),
                ("f", "{order}"), ("b", "已经帮你申请了，退款1-3天到账"), ("f", "收到")],
    "partnership": [("f", "您好，我是美妆博主，粉丝{n}w，想和品牌合作，可以寄样测评吗"),
                    ("b", "感谢关注！麻烦把主页数据和报价发到 bd@chengjilab.cn，我们3个工作日内回复"),
                    ("f", "好的已发邮件")],
    "inner_circle": [("f", "核心圈"), ("f", "我想申请加入核心圈！用了你们家{k}个月了"),
                     ("b", "收到申请！你已经是我们的老朋友啦，审核结果每月1号公布～"), ("f", "好耶期待")],
    "question": [("f", "请问{skin}适合用哪款呀"),
                 ("b", "可以先试试{p}，温和修护～你现在最困扰的是{concern}吗？"), ("f", "对的，{concern}"),
                 ("b", "那建议{p}搭配{p2}，用两周回来告诉我们效果呀")],
    "thanks": [("f", "谢谢你们寄的小样！{p}真的好用"), ("b", "喜欢就好🥰 用完欢迎来分享心得")],
    "spam": [("f", "全国精准客户 短信群发 加V {wx}")],
    "unanswered": [("f", "在吗？{p}和{p2}可以一起用吗"), ("f", "？")],
}
DM_CLOSINGS = ["好的谢谢", "这都三天了还没人联系我，我要投诉了", "收到，希望尽快处理"]

# --- notes ---------------------------------------------------------------------------------------
BRAND_NOTE_TITLES = ["{p}｜{skin}也能放心用", "换季{concern}？试试这个修护方法", "成分党必看：{p}到底怎么用",
                     "实验室日记｜{p}的{n}次配方调整", "{concern}急救指南", "早C晚A新手怎么开始",
                     "{skin}的秋冬护肤清单",
                     "空瓶记｜大家最爱的{p}", "{p}正确使用手法", "问答合集｜你们问的{p}都在这", "护肤误区第{n}弹",
                     "敏感肌也能用的防晒怎么选", "员工自用｜{p}真实测评"]
BRAND_NOTE_DESCS = ["{p}用法分享：洁面后取2-3滴，按压至吸收。{skin}建议先在耳后试用。有问题评论区问我们～",
                    "好多宝子问{concern}怎么办，今天一次讲清楚。觉得有用记得收藏哦",
                    "这次配方调整了{n}次，只为更温和。你们最想看我们出什么新品？评论区告诉我们",
                    "护肤没有捷径，坚持最重要。分享一下你的{skin}日常吧"]
BRAND_NOTE_TAGS = ["敏感肌护肤", "护肤", "成分党", "修护", "屏障修护", "秋冬护肤", "好物分享", "护肤干货"]
CREATOR_NOTE_TITLES = ["{n}块钱的{cp}居然这么好用", "黄黑皮{cp}测评", "通勤妆教程｜5分钟出门", "空瓶记｜{month}月",
                       "敏感肌换季护肤routine", "{cp}横评，{shade}最绝", "素颜霜翻车现场", "跟我一起化个约会妆",
                       "{skin}的夏日底妆", "我的平价爱用物", "卸妆这件事我做错了{n}年"]
CREATOR_NOTE_DESCS = ["今天分享{cp}，色号{shade}，{skin}姐妹可以参考～有问题评论区见",
                      "这期真的拍了好久，喜欢记得点赞收藏呀", "很多人问的{cp}来了！全部自费，放心看",
                      "{skin}的我找到了本命{cp}"]
CREATOR_NOTE_TAGS = ["美妆", "化妆教程", "平价好物", "黄黑皮", "底妆", "日常妆容", "好物分享", "空瓶记"]


PRICES = {short: price for _, short, price in BRAND_PRODUCTS}
# what people talk about unprompted; the new serum comes up only where it is the subject
EVERYDAY_PRODUCTS = [short for _, short, _ in BRAND_PRODUCTS if short != CRISIS_PRODUCT]


class _Values(dict):
    """Template values drawn on first use, so a template pays only for what it says."""

    def __init__(self, makers: dict):
        super().__init__()
        self.makers = makers

    def __missing__(self, key: str):
        value = self.makers[key](self)
        self[key] = value
        return value


class Phrasebook:
    """Composes comment texts and note texts from the banks above with the caller's random source."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        pick, number = rng.choice, rng.randint
        self._makers = {
            "p": lambda v: pick(EVERYDAY_PRODUCTS), "p2": lambda v: pick([p for p in EVERYDAY_PRODUCTS if p != v["p"]]),
            "price": self._price, "skin": lambda v: pick(SKIN_TYPES), "concern": lambda v: pick(CONCERNS),
            "n": lambda v: number(2, 30), "k": lambda v: number(2, 6), "d": lambda v: number(1, 7),
            "age": lambda v: pick([18, 20, 22, 25, 28, 30, 33, 35, 40]), "competitor": lambda v: pick(COMPETITORS),
            "verdict": lambda v: pick(P_VERDICTS), "cp": lambda v: pick(MAKEUP_ITEMS), "shade": lambda v: pick(SHADES),
            "month": lambda v: number(1, 12), "brand": lambda v: BRAND_NAME, "wx": lambda v: self._wechat(),
            "digits": lambda v: "".join(str(number(0, 9)) for _ in range(number(6, 9))),
            "phone": lambda v: self._phone(), "qq": lambda v: str(number(10_000_000, 3_999_999_999)),
            "friend": lambda v: "", "addr": lambda v: "", "closing": lambda v: pick(DM_CLOSINGS),
        }

    def _values(self, product: str | None, skin: str | None, concern: str | None, **extra) -> dict:
        """The values a template may ask for, each drawn only when the template uses it."""
        values = _Values(self._makers)
        if product:
            values["p"] = product
        if skin:
            values["skin"] = skin
        if concern:
            values["concern"] = concern
        values.update(extra)
        return values

    def _price(self, values: dict) -> int:
        return PRICES.get(values["p"], 199)

    def _wechat(self) -> str:
        rng = self.rng
        head = rng.choice(["xhs", "mei", "lin", "vip", "kf", "hao", "a"])
        return head + "".join(str(rng.randint(0, 9)) for _ in range(rng.randint(4, 8)))

    def _phone(self) -> str:
        """Phone numbers as spammers write them: spaced, dashed or with look-alike digits."""
        rng = self.rng
        digits = "1" + rng.choice("3456789") + "".join(str(rng.randint(0, 9)) for _ in range(9))
        style = rng.random()
        if style < 0.3:
            return " ".join(digits)
        if style < 0.55:
            return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
        if style < 0.7:
            return digits.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        return digits

    def _fill(self, template: str, values: dict) -> str:
        return template.format_map(values)

    def _decorate(self, text: str, mood: str) -> str:
        rng = self.rng
        stickers, emoji = {
            "positive": (STICKERS_POSITIVE, EMOJI_POSITIVE),
            "negative": (STICKERS_NEGATIVE, EMOJI_NEGATIVE),
        }.get(mood, (STICKERS_NEUTRAL, EMOJI_NEUTRAL))
        roll = rng.random()
        if roll < 0.22:
            text += rng.choice(stickers)
        elif roll < 0.4:
            text += rng.choice(emoji) * rng.choice([1, 1, 2, 3])
        elif roll < 0.46:
            text += rng.choice(stickers) + rng.choice(stickers)
        if rng.random() < 0.08:
            text += rng.choice(["哈哈哈", "！！", "～～", "。。。", "hhh", "啊啊啊"])
        return text

    def comment(self, topic: str, *, product: str | None = None, skin: str | None = None,
                concern: str | None = None, friend: str = "", creator: bool = False) -> str:
        """A comment written by a follower about one topic (question, praise, complaint, ...)."""
        rng = self.rng
        values = self._values(product, skin, concern, friend=friend)
        pick = rng.choice
        if topic == "question":
            if rng.random() < 0.22:
                return self._decorate(self._fill(pick(Q_SHORT), values), "neutral")
            if creator and rng.random() < 0.6:
                core = pick(["{cp}是什么牌子的", "{cp}色号是多少", "粉底是哪个色号", "口红色号求", "求衣服链接",
                             "背景音乐是啥", "黄黑皮能用吗", "这个{cp}持妆怎么样", "{skin}适合这个{cp}吗",
                             "{cp}会卡粉吗", "{shade}黄皮能驾驭吗", "眼影是哪一盘", "发型怎么弄的"])
                text = pick(Q_OPENERS) + core + pick(Q_TAILS)
            else:
                text = pick(Q_OPENERS) + pick(Q_CONTEXT) + pick(Q_CORES) + pick(Q_TAILS)
            return self._decorate(self._fill(text, values), "neutral")
        if topic == "praise":
            if creator and rng.random() < 0.6:
                core = pick(["博主皮肤好好", "博主好会化", "学会了", "太好看了吧", "每期都在看", "这个妆绝了",
                             "{shade}也太好看了", "跟着买了{cp}真的不错", "氛围感拉满", "出片！", "宝藏博主"])
            else:
                core = pick(P_CORES)
            return self._decorate(self._fill(pick(P_OPENERS) + core, values), "positive")
        if topic == "complaint":
            if creator and rng.random() < 0.5:
                core = pick(["跟着买了{cp}踩雷了", "恰饭太多了", "广告越来越多了，取关了", "{cp}根本不适合{skin}",
                             "这期滤镜太重了", "又是商单🙄"])
            else:
                core = pick(C_CORES)
            return self._decorate(self._fill(pick(C_OPENERS) + core, values), "negative")
        if topic in ("shipping", "price", "returns"):
            bank = {"shipping": SHIP_CORES, "price": PRICE_CORES, "returns": RETURN_CORES}[topic]
            return self._decorate(self._fill(pick(bank), values), "negative")
        if topic == "partnership":
            return self._fill(pick(PARTNER_CORES), values)
        if topic == "spam":
            return self._fill(pick(SPAM_CORES), values)
        if topic == "abuse":
            return self._decorate(self._fill(pick(ABUSE_CORES), values), "negative")
        if topic == "ugc":
            return self._decorate(self._fill(pick(UGC_CORES), values), "positive")
        if topic == "english":
            return self._fill(pick(ENGLISH_CORES), values)
        if topic == "mention":
            return self._decorate(self._fill(pick(MENTION_CORES), values), "neutral")
        if topic == "brand_tag":
            return self._decorate(self._fill(pick(BRAND_TAG_CORES), values), "neutral")
        if topic == "crisis":
            text = self._fill(pick(CRISIS_CORES), values) + pick(CRISIS_TAILS)
            return text if rng.random() < 0.6 else self._decorate(text, "negative")
        if topic == "picture":
            return "" if rng.random() < 0.7 else pick(["晒图", "看图", "[图片]", "如图", "🥲", "[哇R]"])
        return self._decorate(self._fill(pick(CASUAL_CORES), values), "neutral")

    def reply(self, parent_topic: str, **context) -> str:
        """A follower answering another follower: agreement, an answer, empathy, calling out spam."""
        rng = self.rng
        bank = {
            "question": R_AGREE if rng.random() < 0.55 else R_ANSWER,
            "complaint": R_EMPATHY, "shipping": R_EMPATHY, "returns": R_EMPATHY, "price": R_AGREE,
            "praise": R_PRAISE, "ugc": R_PRAISE, "spam": R_SPAM, "abuse": R_ABUSE, "crisis": R_CRISIS,
        }.get(parent_topic, R_AGREE + R_PRAISE)
        values = self._values(context.get("product"), context.get("skin"), context.get("concern"))
        mood = "negative" if parent_topic in ("complaint", "crisis", "spam", "abuse") else "neutral"
        return self._decorate(self._fill(rng.choice(bank), values), mood)

    def followup(self) -> str:
        return self._decorate(self.rng.choice(R_FOLLOWUP), "neutral")

    def account_reply(self, role: str, parent_topic: str, *, nickname: str, product: str | None = None,
                      skin: str | None = None, concern: str | None = None) -> str:
        """The account answering a follower, addressing them by name about what they said."""
        rng = self.rng
        banks = BRAND_REPLIES if role == "brand" else CREATOR_REPLIES
        bank = banks.get(parent_topic) or banks.get({"shipping": "complaint", "returns": "complaint",
                                                       "price": "complaint", "crisis": "complaint",
                                                       "ugc": "praise", "english": "praise",
                                                       "mention": "casual", "brand_tag": "casual",
                                                       "picture": "praise", "partnership": "casual",
                                                       }.get(parent_topic, "casual")) or banks["casual"]
        addr = rng.choice(["", f"{nickname}宝子，", f"{nickname}，", "宝，", "亲爱的，"]) if nickname else ""
        values = self._values(product, skin, concern, addr=addr)
        return self._fill(rng.choice(bank), values)

    def dm(self, template: str, **context) -> str:
        values = self._values(context.pop("product", None), context.pop("skin", None),
                              context.pop("concern", None), **context)
        return self._fill(template, values)

    def note_text(self, kind: str, *, product: str | None = None) -> tuple[str, str, list[str]]:
        """Title, description and topics of a note by the brand, the creator or a follower (UGC)."""
        rng = self.rng
        values = self._values(product, None, None)
        if kind == "brand":
            tags = rng.sample(BRAND_NOTE_TAGS, 3)
            title = self._fill(rng.choice(BRAND_NOTE_TITLES), values)
            desc = self._fill(rng.choice(BRAND_NOTE_DESCS), values)
        elif kind == "creator":
            tags = rng.sample(CREATOR_NOTE_TAGS, 3)
            title = self._fill(rng.choice(CREATOR_NOTE_TITLES), values)
            desc = self._fill(rng.choice(CREATOR_NOTE_DESCS), values)
        else:
            tags = [BRANDED_TOPIC, "敏感肌护肤", rng.choice(["护肤打卡", "空瓶记", "好物分享", "护肤日常"])]
            title = self._fill(rng.choice([f"{BRANDED_TOPIC} Day{{d}}｜{{p}}打卡", "{skin}的{d}天打卡记录",
                                           "坚持{d}天，{concern}真的好多了", "挑战打卡｜{p}空瓶"]), values)
            desc = self._fill(rng.choice(["第{d}天打卡，今天用的是{p}，{concern}有改善～ @" + BRAND_NAME,
                                          "参加了挑战，{skin}姐妹可以参考 @" + BRAND_NAME,
                                          "坚持就是胜利！{p}真的温和"]), values)
        desc += " " + " ".join(f"#{tag}[话题]#" for tag in tags)
        return title, desc, tags
