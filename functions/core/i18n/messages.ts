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
  'error.invisibleCharacters': 'Invisible characters and text-direction controls (such as zero-width spaces or right-to-left overrides) are not allowed here. Please type the text again without them.',
  'error.httpsUrl': 'Enter a full link that starts with https:// (http:, javascript:, data: and other kinds of links are not accepted).',
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
  'error.linkInvalid': 'This link is not valid or has expired. Ask for a new one: we mail it to the address you registered with.',
  'error.linkSignedOut': 'This link was signed out. Ask for a new one: we mail it to the address you registered with.',
  'error.erased': 'These registrations were erased at the registrant’s request.',
  'error.noActiveRegistration': 'You have no active registration for this session.',
  'error.mailBudget': 'We have already written to this address several times in the last hour. Please try again later.',
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
  'error.invisibleCharacters': 'Les caractères invisibles et les commandes de sens d’écriture (espaces sans chasse, forçages de droite à gauche…) ne sont pas autorisés ici. Veuillez saisir le texte à nouveau, sans eux.',
  'error.httpsUrl': 'Saisissez un lien complet commençant par https:// (les liens http:, javascript:, data: et autres ne sont pas acceptés).',
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
  'error.linkInvalid': 'Ce lien n’est pas valide ou a expiré. Demandez-en un nouveau : nous l’envoyons à l’adresse avec laquelle vous vous êtes inscrit.',
  'error.linkSignedOut': 'Ce lien a été désactivé. Demandez-en un nouveau : nous l’envoyons à l’adresse avec laquelle vous vous êtes inscrit.',
  'error.erased': 'Ces inscriptions ont été effacées à la demande de la personne inscrite.',
  'error.noActiveRegistration': 'Vous n’avez pas d’inscription active pour cette session.',
  'error.mailBudget': 'Nous avons déjà écrit plusieurs fois à cette adresse au cours de la dernière heure. Veuillez réessayer plus tard.',
  'error.notFound': 'Introuvable.',
  'page.unsubscribe.title': 'Arrêter les rappels ?',
  'page.unsubscribe.body': 'Vous ne recevrez plus de rappels avant vos sessions. Les confirmations et les avis de changement vous parviendront toujours.',
  'page.unsubscribe.button': 'Arrêter les rappels',
};

const es: Catalog = {
  'error.invalid': 'Algunos campos requieren su atención.',
  'error.consentRequired': 'Para inscribirse, acepte el tratamiento de sus datos.',
  'error.controlCharacters': 'Aquí no se admiten saltos de línea ni caracteres de control.',
  'error.invisibleCharacters': 'Aquí no se admiten caracteres invisibles ni controles de dirección del texto (espacios de ancho cero, forzado de la escritura de derecha a izquierda…). Vuelva a escribir el texto sin ellos.',
  'error.httpsUrl': 'Introduzca un enlace completo que empiece por https:// (no se aceptan enlaces http:, javascript:, data: ni de otro tipo).',
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
  'error.linkInvalid': 'Este enlace no es válido o ha caducado. Pida uno nuevo: lo enviamos a la dirección con la que se inscribió.',
  'error.linkSignedOut': 'Este enlace fue desactivado. Pida uno nuevo: lo enviamos a la dirección con la que se inscribió.',
  'error.erased': 'Estas inscripciones se borraron a petición de la persona inscrita.',
  'error.noActiveRegistration': 'No tiene ninguna inscripción activa en esta sesión.',
  'error.mailBudget': 'Ya hemos escrito varias veces a esta dirección en la última hora. Inténtelo de nuevo más tarde.',
  'error.notFound': 'No encontrado.',
  'page.unsubscribe.title': '¿Dejar de recibir recordatorios?',
  'page.unsubscribe.body': 'Ya no recibirá recordatorios antes de sus sesiones. Las confirmaciones y los avisos de cambios le seguirán llegando.',
  'page.unsubscribe.button': 'Dejar de recibir recordatorios',
};

const ru: Catalog = {
  'error.invalid': 'Проверьте, пожалуйста, отмеченные поля.',
  'error.consentRequired': 'Для регистрации необходимо согласие на обработку данных.',
  'error.controlCharacters': 'Переводы строк и управляющие символы здесь недопустимы.',
  'error.invisibleCharacters': 'Невидимые символы и символы управления направлением текста (пробелы нулевой ширины, знаки смены направления письма и т. п.) здесь недопустимы. Введите текст заново без них.',
  'error.httpsUrl': 'Укажите полную ссылку, начинающуюся с https:// (ссылки http:, javascript:, data: и другие не принимаются).',
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
  'error.linkInvalid': 'Эта ссылка недействительна или устарела. Запросите новую: мы отправим её на адрес, указанный при регистрации.',
  'error.linkSignedOut': 'Эта ссылка отключена. Запросите новую: мы отправим её на адрес, указанный при регистрации.',
  'error.erased': 'Эти регистрации удалены по просьбе зарегистрированного участника.',
  'error.noActiveRegistration': 'У вас нет действующей регистрации на эту сессию.',
  'error.mailBudget': 'За последний час мы уже несколько раз писали на этот адрес. Повторите попытку позже.',
  'error.notFound': 'Не найдено.',
  'page.unsubscribe.title': 'Отключить напоминания?',
  'page.unsubscribe.body': 'Вы больше не будете получать напоминания перед сессиями. Подтверждения и уведомления об изменениях будут приходить по-прежнему.',
  'page.unsubscribe.button': 'Отключить напоминания',
};

const zh: Catalog = {
  'error.invalid': '部分字段需要修改。',
  'error.consentRequired': '请同意处理您的数据以完成注册。',
  'error.controlCharacters': '此处不允许换行符或控制字符。',
  'error.invisibleCharacters': '此处不允许使用不可见字符或文字方向控制符（如零宽空格、从右到左覆盖符）。请删除这些字符后重新输入。',
  'error.httpsUrl': '请输入以 https:// 开头的完整链接（不接受 http:、javascript:、data: 等其他类型的链接）。',
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
  'error.linkInvalid': '此链接无效或已过期。请申请新链接：我们会将其发送到您注册时使用的地址。',
  'error.linkSignedOut': '此链接已被注销。请申请新链接：我们会将其发送到您注册时使用的地址。',
  'error.erased': '这些注册已应注册人的要求删除。',
  'error.noActiveRegistration': '您没有此会议的有效注册。',
  'error.mailBudget': '过去一小时内我们已多次向此地址发送邮件。请稍后再试。',
  'error.notFound': '未找到。',
  'page.unsubscribe.title': '停止接收提醒？',
  'page.unsubscribe.body': '您将不再在会议前收到提醒。确认邮件和变更通知仍会发送给您。',
  'page.unsubscribe.button': '停止提醒',
};

const ar: Catalog = {
  'error.invalid': 'بعض الحقول تحتاج إلى تصحيح.',
  'error.consentRequired': 'يُرجى الموافقة على معالجة بياناتك لإتمام التسجيل.',
  'error.controlCharacters': 'لا يُسمح هنا بفواصل الأسطر أو أحرف التحكم.',
  'error.invisibleCharacters': 'لا يُسمح هنا بالأحرف غير المرئية أو أحرف التحكم في اتجاه النص (مثل المسافة صفرية العرض أو علامة فرض الاتجاه من اليمين إلى اليسار). يُرجى إعادة كتابة النص من دونها.',
  'error.httpsUrl': 'أدخل رابطًا كاملًا يبدأ بـ https:// (لا تُقبل روابط http: أو javascript: أو data: أو غيرها).',
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
  'error.linkInvalid': 'هذا الرابط غير صالح أو انتهت صلاحيته. اطلب رابطًا جديدًا: نرسله إلى العنوان الذي سجّلت به.',
  'error.linkSignedOut': 'تم إلغاء هذا الرابط. اطلب رابطًا جديدًا: نرسله إلى العنوان الذي سجّلت به.',
  'error.erased': 'محيت هذه التسجيلات بناءً على طلب صاحبها.',
  'error.noActiveRegistration': 'ليس لديك تسجيل نشط في هذه الجلسة.',
  'error.mailBudget': 'راسلنا هذا العنوان عدة مرات خلال الساعة الماضية. يُرجى المحاولة لاحقًا.',
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

/** True for a key of the catalogues (a zod refinement names its message with `params: { key }`). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

export function isRightToLeft(lang: Language): boolean {
  return lang === 'ar';
}
