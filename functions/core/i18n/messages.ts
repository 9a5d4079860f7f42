import type { Language } from '../model.ts';

/**
 * Texts of errors and of the unsubscribe page in the six UN languages (mails: mail-messages.ts; the other
 * pages: page-messages.ts). English defines the keys; every other language must give each one (the
 * `satisfies` below makes a missing translation a type error). `{name}` marks a placeholder.
 */
const en = {
  'error.invalid': 'Some fields need your attention.',
  'error.consentRequired': 'Please agree to the processing of your data to register.',
  'error.controlCharacters': 'Line breaks and control characters are not allowed here.',
  'error.duplicateSessions': 'Each session can be chosen only once.',
  'error.unknownTimeZone': 'Unknown time zone.',
  'error.unknownCountry': 'Unknown country code.',
  'error.unknownFields': 'Unknown field.',
  'error.required': 'This field is required.',
  'error.bodyTooLarge': 'The request is too large (at most 64 KB).',
  'error.contentType': 'Send JSON (application/json) or a form (application/x-www-form-urlencoded).',
  'error.malformedBody': 'The request body could not be read.',
  'error.unknownSessions': 'Unknown session: {sessionIds}.',
  'error.sessionClosed': 'Registration is closed for: {sessionIds} (ended or cancelled).',
  'error.idempotencyMismatch': 'This Idempotency-Key was already used for a different submission.',
  'error.internal': 'Something went wrong on our side. Nothing was lost: please try again in a minute.',
  'error.notFound': 'Not found.',
  'page.unsubscribe.title': 'Stop reminders?',
  'page.unsubscribe.body': 'You will no longer receive reminders before your sessions. Confirmations and notices about changes still reach you.',
  'page.unsubscribe.button': 'Stop reminders',
} as const;

export type MessageKey = keyof typeof en;
type Catalog = Record<MessageKey, string>;

const fr: Catalog = {
  'error.invalid': 'Certains champs doivent être corrigés.',
  'error.consentRequired': 'Veuillez accepter le traitement de vos données pour vous inscrire.',
  'error.controlCharacters': 'Les sauts de ligne et caractères de contrôle ne sont pas autorisés ici.',
  'error.duplicateSessions': 'Chaque session ne peut être choisie qu’une fois.',
  'error.unknownTimeZone': 'Fuseau horaire inconnu.',
  'error.unknownCountry': 'Code de pays inconnu.',
  'error.unknownFields': 'Champ inconnu.',
  'error.required': 'Ce champ est obligatoire.',
  'error.bodyTooLarge': 'La requête est trop volumineuse (64 Ko au plus).',
  'error.contentType': 'Envoyez du JSON (application/json) ou un formulaire (application/x-www-form-urlencoded).',
  'error.malformedBody': 'Le contenu de la requête est illisible.',
  'error.unknownSessions': 'Session inconnue : {sessionIds}.',
  'error.sessionClosed': 'Les inscriptions sont closes pour : {sessionIds} (terminée ou annulée).',
  'error.idempotencyMismatch': 'Cette clé Idempotency-Key a déjà servi pour une autre inscription.',
  'error.internal': 'Un problème est survenu de notre côté. Rien n’est perdu : réessayez dans une minute.',
  'error.notFound': 'Introuvable.',
  'page.unsubscribe.title': 'Arrêter les rappels ?',
  'page.unsubscribe.body': 'Vous ne recevrez plus de rappels avant vos sessions. Les confirmations et les avis de changement vous parviendront toujours.',
  'page.unsubscribe.button': 'Arrêter les rappels',
};

const es: Catalog = {
  'error.invalid': 'Algunos campos requieren su atención.',
  'error.consentRequired': 'Para inscribirse, acepte el tratamiento de sus datos.',
  'error.controlCharacters': 'Aquí no se admiten saltos de línea ni caracteres de control.',
  'error.duplicateSessions': 'Cada sesión solo puede elegirse una vez.',
  'error.unknownTimeZone': 'Zona horaria desconocida.',
  'error.unknownCountry': 'Código de país desconocido.',
  'error.unknownFields': 'Campo desconocido.',
  'error.required': 'Este campo es obligatorio.',
  'error.bodyTooLarge': 'La solicitud es demasiado grande (64 KB como máximo).',
  'error.contentType': 'Envíe JSON (application/json) o un formulario (application/x-www-form-urlencoded).',
  'error.malformedBody': 'No se pudo leer el cuerpo de la solicitud.',
  'error.unknownSessions': 'Sesión desconocida: {sessionIds}.',
  'error.sessionClosed': 'La inscripción está cerrada para: {sessionIds} (finalizada o cancelada).',
  'error.idempotencyMismatch': 'Esta Idempotency-Key ya se usó para otra inscripción.',
  'error.internal': 'Algo falló de nuestro lado. No se perdió nada: inténtelo de nuevo en un minuto.',
  'error.notFound': 'No encontrado.',
  'page.unsubscribe.title': '¿Dejar de recibir recordatorios?',
  'page.unsubscribe.body': 'Ya no recibirá recordatorios antes de sus sesiones. Las confirmaciones y los avisos de cambios le seguirán llegando.',
  'page.unsubscribe.button': 'Dejar de recibir recordatorios',
};

const ru: Catalog = {
  'error.invalid': 'Проверьте, пожалуйста, отмеченные поля.',
  'error.consentRequired': 'Для регистрации необходимо согласие на обработку данных.',
  'error.controlCharacters': 'Переводы строк и управляющие символы здесь недопустимы.',
  'error.duplicateSessions': 'Каждую сессию можно выбрать только один раз.',
  'error.unknownTimeZone': 'Неизвестный часовой пояс.',
  'error.unknownCountry': 'Неизвестный код страны.',
  'error.unknownFields': 'Неизвестное поле.',
  'error.required': 'Это поле обязательно.',
  'error.bodyTooLarge': 'Запрос слишком велик (не более 64 КБ).',
  'error.contentType': 'Отправьте JSON (application/json) или форму (application/x-www-form-urlencoded).',
  'error.malformedBody': 'Не удалось прочитать тело запроса.',
  'error.unknownSessions': 'Неизвестная сессия: {sessionIds}.',
  'error.sessionClosed': 'Регистрация закрыта: {sessionIds} (сессия завершена или отменена).',
  'error.idempotencyMismatch': 'Этот ключ Idempotency-Key уже использован для другой заявки.',
  'error.internal': 'У нас произошла ошибка. Ничего не потеряно: повторите попытку через минуту.',
  'error.notFound': 'Не найдено.',
  'page.unsubscribe.title': 'Отключить напоминания?',
  'page.unsubscribe.body': 'Вы больше не будете получать напоминания перед сессиями. Подтверждения и уведомления об изменениях будут приходить по-прежнему.',
  'page.unsubscribe.button': 'Отключить напоминания',
};

const zh: Catalog = {
  'error.invalid': '部分字段需要修改。',
  'error.consentRequired': '请同意处理您的数据以完成注册。',
  'error.controlCharacters': '此处不允许换行符或控制字符。',
  'error.duplicateSessions': '每场会议只能选择一次。',
  'error.unknownTimeZone': '未知时区。',
  'error.unknownCountry': '未知国家代码。',
  'error.unknownFields': '未知字段。',
  'error.required': '此字段为必填项。',
  'error.bodyTooLarge': '请求过大（最多 64 KB）。',
  'error.contentType': '请发送 JSON（application/json）或表单（application/x-www-form-urlencoded）。',
  'error.malformedBody': '无法读取请求内容。',
  'error.unknownSessions': '未知会议：{sessionIds}。',
  'error.sessionClosed': '以下会议已停止注册：{sessionIds}（已结束或已取消）。',
  'error.idempotencyMismatch': '此 Idempotency-Key 已用于另一份注册。',
  'error.internal': '我们这边出了问题。没有任何数据丢失：请一分钟后重试。',
  'error.notFound': '未找到。',
  'page.unsubscribe.title': '停止接收提醒？',
  'page.unsubscribe.body': '您将不再在会议前收到提醒。确认邮件和变更通知仍会发送给您。',
  'page.unsubscribe.button': '停止提醒',
};

const ar: Catalog = {
  'error.invalid': 'بعض الحقول تحتاج إلى تصحيح.',
  'error.consentRequired': 'يُرجى الموافقة على معالجة بياناتك لإتمام التسجيل.',
  'error.controlCharacters': 'لا يُسمح هنا بفواصل الأسطر أو أحرف التحكم.',
  'error.duplicateSessions': 'لا يمكن اختيار الجلسة الواحدة إلا مرة واحدة.',
  'error.unknownTimeZone': 'منطقة زمنية غير معروفة.',
  'error.unknownCountry': 'رمز بلد غير معروف.',
  'error.unknownFields': 'حقل غير معروف.',
  'error.required': 'هذا الحقل مطلوب.',
  'error.bodyTooLarge': 'الطلب كبير جدًا (64 كيلوبايت كحد أقصى).',
  'error.contentType': 'أرسل JSON (application/json) أو نموذجًا (application/x-www-form-urlencoded).',
  'error.malformedBody': 'تعذّرت قراءة محتوى الطلب.',
  'error.unknownSessions': 'جلسة غير معروفة: {sessionIds}.',
  'error.sessionClosed': 'التسجيل مغلق في: {sessionIds} (انتهت أو أُلغيت).',
  'error.idempotencyMismatch': 'سبق استخدام مفتاح Idempotency-Key هذا لتسجيل مختلف.',
  'error.internal': 'حدث خطأ من جانبنا. لم يُفقد شيء: يُرجى المحاولة مجددًا بعد دقيقة.',
  'error.notFound': 'غير موجود.',
  'page.unsubscribe.title': 'إيقاف التذكيرات؟',
  'page.unsubscribe.body': 'لن تتلقى بعد الآن تذكيرات قبل جلساتك. وستظل تصلك رسائل التأكيد وإشعارات التغيير.',
  'page.unsubscribe.button': 'إيقاف التذكيرات',
};

const catalogs = { en, fr, es, ru, zh, ar } satisfies Record<Language, Catalog>;

/** Fills a text's `{placeholders}`; unknown ones stay as they are. Shared by every catalogue. */
export function fillPlaceholders(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** Looks up a text and fills its `{placeholders}`; values are inserted as given (escape for HTML after). */
export function t(lang: Language, key: MessageKey, values: Record<string, string | number> = {}): string {
  return fillPlaceholders(catalogs[lang][key], values);
}

export function isRightToLeft(lang: Language): boolean {
  return lang === 'ar';
}
