/**
 * Message bodies for the search benchmark: chat-like sentences in eight languages (English,
 * German, French, Spanish, Russian with its Cyrillic, and Chinese, Japanese and Korean written
 * without spaces), from a fixed pseudo-random sequence so that every run stores the same text.
 * Terms are planted at known rates, so a query's selectivity is known:
 * - COMMON_TERM in 5 % of the messages, SECOND_TERM and THIRD_TERM in 10 % each (independently);
 * - RARE_TERM in 0.01 % (one message in 10,000).
 */

export const COMMON_TERM = 'deploy';
export const SECOND_TERM = 'server';
export const THIRD_TERM = 'friday';
export const RARE_TERM = 'zeppelin';

const RATES = { common: 0.05, second: 0.1, third: 0.1, rare: 0.0001 };

const WORDS: Record<string, { words: string[]; spaced: boolean }> = {
  en: {
    spaced: true,
    words: 'the a we you they it is was will can should meeting lunch coffee tomorrow today yesterday morning evening team project build test fix bug review merge branch ticket customer call email report update plan design idea question answer thanks please sorry great good bad late early office home train weather weekend holiday budget invoice number list page screen button login password database cache queue worker backup'.split(' '),
  },
  de: {
    spaced: true,
    words: 'der die das und ist war wird kann sollte Besprechung Mittagessen Kaffee morgen heute gestern Abend Mannschaft Projekt bauen prüfen Fehler beheben Überprüfung Zweig Kunde Anruf Bericht Aktualisierung Entwurf Frage Antwort danke bitte Entschuldigung großartig schlecht spät früh Büro Zuhause Zug Wetter Wochenende Urlaub Rechnung Nummer Liste Seite Bildschirm Knopf Datenbank Sicherung Straße Grüße'.split(' '),
  },
  fr: {
    spaced: true,
    words: 'le la les et est était sera peut devrait réunion déjeuner café demain aujourd’hui hier soir équipe projet construire tester corriger erreur révision branche client appel courriel rapport mise à jour plan idée question réponse merci svp désolé génial mauvais tard tôt bureau maison train météo week-end vacances facture numéro liste page écran bouton été hôpital'.split(' '),
  },
  es: {
    spaced: true,
    words: 'el la los y es era será puede debería reunión almuerzo café mañana hoy ayer noche equipo proyecto construir probar arreglar error revisión rama cliente llamada correo informe actualización plan idea pregunta respuesta gracias por favor perdón genial malo tarde temprano oficina casa tren clima fin de semana vacaciones factura número lista página pantalla botón año niño'.split(' '),
  },
  ru: {
    spaced: true,
    words: 'и в не на я он она мы вы они встреча обед кофе завтра сегодня вчера вечер команда проект сборка тест исправить ошибка обзор ветка клиент звонок письмо отчёт обновление план идея вопрос ответ спасибо пожалуйста извините отлично плохо поздно рано офис дом поезд погода выходные отпуск счёт номер список страница экран кнопка ёлка'.split(' '),
  },
  zh: {
    spaced: false,
    words: '我们 你们 他们 今天 明天 昨天 会议 午饭 咖啡 团队 项目 构建 测试 修复 错误 审查 分支 客户 电话 邮件 报告 更新 计划 想法 问题 回答 谢谢 请 对不起 很好 不好 晚 早 办公室 家 火车 天气 周末 假期 发票 号码 列表 页面 屏幕 按钮 数据库 部署 服务器'.split(' '),
  },
  ja: {
    spaced: false,
    words: '私たち あなた 彼ら 今日 明日 昨日 会議 昼ご飯 コーヒー チーム プロジェクト ビルド テスト 修正 バグ レビュー ブランチ お客様 電話 メール 報告 更新 計画 アイデア 質問 答え ありがとう お願いします すみません すごい 悪い 遅い 早い オフィス 家 電車 天気 週末 休み 請求書 番号 リスト ページ 画面 ボタン デプロイ が は を に'.split(' '),
  },
  ko: {
    spaced: false,
    words: '우리 너희 그들 오늘 내일 어제 회의 점심 커피 팀 프로젝트 빌드 테스트 수정 버그 리뷰 브랜치 고객 전화 이메일 보고서 업데이트 계획 아이디어 질문 대답 감사합니다 부탁합니다 죄송합니다 좋아요 나빠요 늦게 일찍 사무실 집 기차 날씨 주말 휴가 청구서 번호 목록 페이지 화면 버튼 배포 서버'.split(' '),
  },
};
const LANGUAGES = Object.keys(WORDS);

/** A small fast PRNG (mulberry32): the same seed gives the same corpus. */
export function randomSequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Makes message bodies of 6 to 20 words (about 40 to 150 characters) in a random language, with the planted terms. */
export function messageBodies(seed: number): () => string {
  const random = randomSequence(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  return () => {
    const language = WORDS[pick(LANGUAGES)]!;
    const words = Array.from({ length: 6 + Math.floor(random() * 15) }, () => pick(language.words));
    const plant = (term: string, rate: number) => {
      if (random() < rate) words.splice(Math.floor(random() * (words.length + 1)), 0, language.spaced ? term : ` ${term} `);
    };
    plant(COMMON_TERM, RATES.common);
    plant(SECOND_TERM, RATES.second);
    plant(THIRD_TERM, RATES.third);
    plant(RARE_TERM, RATES.rare);
    const text = words.join(language.spaced ? ' ' : '').trim();
    return language.spaced ? `${text.charAt(0).toUpperCase()}${text.slice(1)}.` : `${text}。`;
  };
}

/** The planted rates, for the report. */
export const PLANTED_RATES = RATES;
