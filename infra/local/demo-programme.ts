// Demo programme for local runs: a virtual forum with several weeks of weekly
// sessions followed by a final high-level week, in the spirit of the WSIS Forum
// 2020. The data is fixed and only the dates move with `now`, so seeded local
// environments and snapshot tests stay reproducible.

/** Every session kind the demo programme uses, in programme order. */
export const demoKinds = [
  'thematic-workshop',
  'country-workshop',
  'high-level-policy-session',
  'special-track',
  'knowledge-cafe',
  'hackathon',
  'exhibition',
  'policy-statement',
  'high-level-dialogue',
  'prize-ceremony',
  'ministerial-round-table',
  'action-line-meeting',
] as const;

export type DemoKind = (typeof demoKinds)[number];

export type DemoSession = {
  sessionId: string;
  title: { ar: string; en: string; es: string; fr: string; ru: string; zh: string };
  kind: DemoKind;
  startsAt: string;
  endsAt: string;
  capacity: number;
  restricted?: boolean;
  joinUrl?: string;
  description?: { en: string; fr?: string; es?: string; ru?: string; zh?: string; ar?: string };
};

export type DemoProgramme = { sessions: DemoSession[] };

const TIME_ZONE = 'Europe/Zurich';
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const JOIN_BASE_URL = 'https://meet.example.org/';

/** 0 = Monday … 4 = Friday: the forum only runs on Geneva working days. */
type Weekday = 0 | 1 | 2 | 3 | 4;

type Entry = {
  /** 0-based week after the first Monday; the final week is `FINAL_WEEK`. */
  week: number;
  day: Weekday;
  /** Local Geneva wall-clock time, 'HH:MM'. */
  start: string;
  minutes: number;
  slug: string;
  kind: DemoKind;
  capacity: number;
  restricted?: true;
  title: DemoSession['title'];
  description: string;
};

const WEEKLY_WEEKS = 6;
const FINAL_WEEK = WEEKLY_WEEKS;

// Listed chronologically and without overlaps, so a registrant can book any
// combination of sessions without the demo tripping schedule-conflict checks.
const entries: readonly Entry[] = [
  // Week 1 — the exhibition opens with the programme.
  {
    week: 0, day: 0, start: '10:00', minutes: 90,
    slug: 'thematic-ai-governance', kind: 'thematic-workshop', capacity: 300,
    title: {
      ar: 'حوكمة الذكاء الاصطناعي من أجل التنمية المستدامة',
      en: 'Governing Artificial Intelligence for Sustainable Development',
      es: 'Gobernanza de la inteligencia artificial para el desarrollo sostenible',
      fr: "Gouvernance de l'intelligence artificielle au service du développement durable",
      ru: 'Управление искусственным интеллектом в интересах устойчивого развития',
      zh: '促进可持续发展的人工智能治理',
    },
    description: 'Regulators, researchers and industry compare national approaches to AI governance and discuss how to keep AI systems accountable, inclusive and aligned with the SDGs.',
  },
  {
    week: 0, day: 0, start: '14:00', minutes: 90,
    slug: 'exhibition-ict-innovations', kind: 'exhibition', capacity: 500,
    title: {
      ar: 'المعرض الافتراضي: ابتكارات تكنولوجيا المعلومات والاتصالات من أجل أهداف التنمية المستدامة',
      en: 'Virtual Exhibition: ICT Innovations for the SDGs',
      es: 'Exposición virtual: innovaciones en materia de TIC para los ODS',
      fr: 'Exposition virtuelle : innovations dans le domaine des TIC au service des ODD',
      ru: 'Виртуальная выставка: инновации в области ИКТ для достижения ЦУР',
      zh: '虚拟展览：促进可持续发展目标的信息通信技术创新',
    },
    description: 'A guided opening tour of the virtual exhibition, with live demonstrations from exhibitors showcasing ICT projects that advance the Sustainable Development Goals.',
  },
  {
    week: 0, day: 1, start: '14:00', minutes: 90,
    slug: 'country-rwanda', kind: 'country-workshop', capacity: 150,
    title: {
      ar: 'رواندا: القرى الذكية والتوصيلية في المناطق الريفية',
      en: 'Rwanda: Smart Villages and Rural Connectivity',
      es: 'Rwanda: aldeas inteligentes y conectividad rural',
      fr: 'Rwanda : villages intelligents et connectivité rurale',
      ru: 'Руанда: «умные» деревни и подключение сельских районов',
      zh: '卢旺达：智慧村庄与农村连通',
    },
    description: "Rwanda's ICT ministry presents its smart villages programme and lessons learned from bringing broadband and digital services to rural districts.",
  },
  {
    week: 0, day: 2, start: '10:00', minutes: 120,
    slug: 'hlps-bridging-digital-divides', kind: 'high-level-policy-session', capacity: 800,
    title: {
      ar: 'سد الفجوات الرقمية',
      en: 'Bridging Digital Divides',
      es: 'Reducir las brechas digitales',
      fr: 'Réduire les fractures numériques',
      ru: 'Преодоление цифрового разрыва',
      zh: '弥合数字鸿沟',
    },
    description: 'Ministers and heads of agencies set out policy priorities for connecting the roughly half of humanity that is still offline.',
  },
  {
    week: 0, day: 2, start: '15:00', minutes: 90,
    slug: 'thematic-disability-inclusion', kind: 'thematic-workshop', capacity: 200,
    title: {
      ar: 'الشمول الرقمي للأشخاص ذوي الإعاقة',
      en: 'Digital Inclusion for Persons with Disabilities',
      es: 'Inclusión digital de las personas con discapacidad',
      fr: 'Inclusion numérique des personnes handicapées',
      ru: 'Цифровая интеграция лиц с ограниченными возможностями',
      zh: '残疾人的数字包容',
    },
    description: 'Practitioners share accessibility policies, assistive technologies and procurement rules that make digital services usable by everyone.',
  },
  {
    week: 0, day: 3, start: '16:00', minutes: 60,
    slug: 'cafe-open-data', kind: 'knowledge-cafe', capacity: 30,
    title: {
      ar: 'البيانات المفتوحة لصنع القرار على المستوى المحلي',
      en: 'Open Data for Local Decision-Making',
      es: 'Datos abiertos para la toma de decisiones a nivel local',
      fr: 'Données ouvertes pour la prise de décision locale',
      ru: 'Открытые данные для принятия решений на местном уровне',
      zh: '利用开放数据支持地方决策',
    },
    description: 'An informal small-group conversation on how municipalities publish and actually use open data.',
  },

  // Week 2
  {
    week: 1, day: 0, start: '10:00', minutes: 90,
    slug: 'thematic-cybersecurity-capacity', kind: 'thematic-workshop', capacity: 250,
    title: {
      ar: 'بناء القدرات في مجال الأمن السيبراني في البلدان النامية',
      en: 'Building Cybersecurity Capacity in Developing Countries',
      es: 'Fortalecimiento de la capacidad en ciberseguridad en los países en desarrollo',
      fr: 'Renforcement des capacités en cybersécurité dans les pays en développement',
      ru: 'Наращивание потенциала в области кибербезопасности в развивающихся странах',
      zh: '发展中国家的网络安全能力建设',
    },
    description: 'How national CIRTs, cyber drills and regional cooperation help developing countries respond to cyber incidents.',
  },
  {
    week: 1, day: 1, start: '14:00', minutes: 90,
    slug: 'country-indonesia', kind: 'country-workshop', capacity: 200,
    title: {
      ar: 'إندونيسيا: خدمات عامة رقمية في أرجاء الأرخبيل',
      en: 'Indonesia: Digital Public Services Across an Archipelago',
      es: 'Indonesia: servicios públicos digitales en todo un archipiélago',
      fr: "Indonésie : des services publics numériques à l'échelle d'un archipel",
      ru: 'Индонезия: цифровые государственные услуги по всему архипелагу',
      zh: '印度尼西亚：覆盖整个群岛的数字公共服务',
    },
    description: 'Indonesia describes how it delivers digital public services to communities spread across thousands of islands.',
  },
  {
    week: 1, day: 2, start: '10:00', minutes: 120,
    slug: 'hlps-confidence-security', kind: 'high-level-policy-session', capacity: 700,
    title: {
      ar: 'بناء الثقة والأمن في استعمال تكنولوجيا المعلومات والاتصالات',
      en: 'Building Confidence and Security in the Use of ICTs',
      es: 'Creación de confianza y seguridad en la utilización de las TIC',
      fr: "Établir la confiance et la sécurité dans l'utilisation des TIC",
      ru: 'Укрепление доверия и безопасности при использовании ИКТ',
      zh: '建立使用信息通信技术的信心和安全',
    },
    description: 'High-level speakers discuss the policy frameworks needed for a trusted and secure digital environment.',
  },
  {
    week: 1, day: 2, start: '15:00', minutes: 90,
    slug: 'thematic-e-health', kind: 'thematic-workshop', capacity: 200,
    title: {
      ar: 'الصحة الإلكترونية: التطبيب عن بُعد بعد الجائحة',
      en: 'E-Health: Telemedicine Beyond the Pandemic',
      es: 'Cibersalud: la telemedicina más allá de la pandemia',
      fr: 'Cybersanté : la télémédecine au-delà de la pandémie',
      ru: 'Электронное здравоохранение: телемедицина после пандемии',
      zh: '电子卫生：疫情之后的远程医疗',
    },
    description: 'Health ministries and providers review which telemedicine services proved themselves during the pandemic and how to sustain them.',
  },
  {
    week: 1, day: 3, start: '16:00', minutes: 60,
    slug: 'cafe-community-networks', kind: 'knowledge-cafe', capacity: 25,
    title: {
      ar: 'الشبكات المجتمعية: توصيل الميل الأخير',
      en: 'Community Networks: Connecting the Last Mile',
      es: 'Redes comunitarias: conectar la última milla',
      fr: 'Réseaux communautaires : connecter le dernier kilomètre',
      ru: 'Сети местных сообществ: подключение «последней мили»',
      zh: '社区网络：打通最后一公里',
    },
    description: 'Community network operators swap practical tips on spectrum, backhaul and sustainable business models.',
  },

  // Week 3 — the hackathon takes Thursday and Friday, so the café moves earlier.
  {
    week: 2, day: 0, start: '10:00', minutes: 90,
    slug: 'thematic-connecting-schools', kind: 'thematic-workshop', capacity: 250,
    title: {
      ar: 'ربط كل مدرسة بشبكة الإنترنت',
      en: 'Connecting Every School to the Internet',
      es: 'Conectar todas las escuelas a Internet',
      fr: "Connecter chaque école à l'Internet",
      ru: 'Подключение каждой школы к интернету',
      zh: '让每所学校都接入互联网',
    },
    description: 'School connectivity mapping, financing models and partnerships to connect every school and its surrounding community.',
  },
  {
    week: 2, day: 1, start: '10:00', minutes: 60,
    slug: 'cafe-child-online-protection', kind: 'knowledge-cafe', capacity: 20,
    title: {
      ar: 'حماية الأطفال على الإنترنت',
      en: 'Child Online Protection',
      es: 'Protección de la infancia en línea',
      fr: 'Protection des enfants en ligne',
      ru: 'Защита ребенка в онлайновой среде',
      zh: '儿童在线保护',
    },
    description: 'A deliberately small café where parents, educators and platform staff discuss keeping children safe online.',
  },
  {
    week: 2, day: 1, start: '14:00', minutes: 90,
    slug: 'country-colombia', kind: 'country-workshop', capacity: 150,
    title: {
      ar: 'كولومبيا: ربط المدارس الريفية',
      en: 'Colombia: Connecting Rural Schools',
      es: 'Colombia: conectar las escuelas rurales',
      fr: 'Colombie : connecter les écoles rurales',
      ru: 'Колумбия: подключение сельских школ',
      zh: '哥伦比亚：连接农村学校',
    },
    description: 'Colombia shares results from its programme to bring connectivity and digital learning to rural schools.',
  },
  {
    week: 2, day: 2, start: '10:00', minutes: 120,
    slug: 'hlps-financing-digital-development', kind: 'high-level-policy-session', capacity: 600,
    title: {
      ar: 'تمويل التنمية الرقمية',
      en: 'Financing for Digital Development',
      es: 'Financiación del desarrollo digital',
      fr: 'Financement du développement numérique',
      ru: 'Финансирование цифрового развития',
      zh: '为数字发展筹资',
    },
    description: 'Development banks, investors and governments discuss blended finance and universal service funds for digital infrastructure.',
  },
  {
    week: 2, day: 2, start: '15:00', minutes: 90,
    slug: 'thematic-gender-digital-divide', kind: 'thematic-workshop', capacity: 300,
    title: {
      ar: 'سد الفجوة الرقمية بين الجنسين',
      en: 'Closing the Gender Digital Divide',
      es: 'Cerrar la brecha digital de género',
      fr: 'Réduire la fracture numérique entre les femmes et les hommes',
      ru: 'Преодоление гендерного цифрового разрыва',
      zh: '弥合数字性别鸿沟',
    },
    description: 'Evidence and programmes that increase the number of women and girls who are online, skilled and working in tech.',
  },
  {
    // One registration covers both days: hackathon teams must stay together.
    week: 2, day: 3, start: '09:00', minutes: 32 * 60,
    slug: 'hackathon-healthy-ageing', kind: 'hackathon', capacity: 120,
    title: {
      ar: 'هاكاثون: حلول رقمية من أجل الشيخوخة الصحية',
      en: 'Hackathon: Digital Solutions for Healthy Ageing',
      es: 'Hackatón: soluciones digitales para un envejecimiento saludable',
      fr: 'Hackathon : solutions numériques pour un vieillissement en bonne santé',
      ru: 'Хакатон: цифровые решения для здорового старения',
      zh: '编程马拉松：促进健康老龄化的数字解决方案',
    },
    description: 'A two-day online hackathon in which teams prototype digital tools that help older persons live healthy, independent lives; finalists pitch on Friday afternoon.',
  },

  // Week 4 — three thematic workshops this week.
  {
    week: 3, day: 0, start: '10:00', minutes: 90,
    slug: 'thematic-e-government', kind: 'thematic-workshop', capacity: 200,
    title: {
      ar: 'الحكومة الإلكترونية: خدمات عامة يثق بها المواطنون',
      en: 'E-Government: Public Services Citizens Can Trust',
      es: 'Gobierno electrónico: servicios públicos en los que la ciudadanía pueda confiar',
      fr: 'Administration en ligne : des services publics dignes de confiance',
      ru: 'Электронное правительство: государственные услуги, которым доверяют граждане',
      zh: '电子政务：值得公民信赖的公共服务',
    },
    description: 'Digital identity, once-only data exchange and user-centred design as foundations of trusted e-government services.',
  },
  {
    week: 3, day: 1, start: '14:00', minutes: 90,
    slug: 'country-kazakhstan', kind: 'country-workshop', capacity: 150,
    title: {
      ar: 'كازاخستان: الحكومة الرقمية على نطاق واسع',
      en: 'Kazakhstan: Digital Government at Scale',
      es: 'Kazajstán: gobierno digital a gran escala',
      fr: "Kazakhstan : l'administration numérique à grande échelle",
      ru: 'Казахстан: цифровое правительство в масштабах страны',
      zh: '哈萨克斯坦：大规模推行数字政府',
    },
    description: 'Kazakhstan presents how it moved most public services online and what it learned about adoption and trust.',
  },
  {
    week: 3, day: 2, start: '10:00', minutes: 120,
    slug: 'hlps-ict-applications-sdgs', kind: 'high-level-policy-session', capacity: 700,
    title: {
      ar: 'تطبيقات تكنولوجيا المعلومات والاتصالات وأهداف التنمية المستدامة',
      en: 'ICT Applications and the Sustainable Development Goals',
      es: 'Aplicaciones de las TIC y Objetivos de Desarrollo Sostenible',
      fr: 'Applications des TIC et objectifs de développement durable',
      ru: 'Применения ИКТ и Цели в области устойчивого развития',
      zh: '信息通信技术应用与可持续发展目标',
    },
    description: 'Leaders review how e-government, e-learning, e-health and other ICT applications accelerate progress on the SDGs.',
  },
  {
    week: 3, day: 2, start: '15:00', minutes: 90,
    slug: 'thematic-climate-ict', kind: 'thematic-workshop', capacity: 200,
    title: {
      ar: 'تكنولوجيا المعلومات والاتصالات من أجل العمل المناخي والحد من النفايات الإلكترونية',
      en: 'ICTs for Climate Action and E-Waste Reduction',
      es: 'Las TIC al servicio de la acción climática y la reducción de los desechos electrónicos',
      fr: "Les TIC au service de l'action climatique et de la réduction des déchets électroniques",
      ru: 'ИКТ в интересах борьбы с изменением климата и сокращения электронных отходов',
      zh: '信息通信技术促进气候行动和减少电子废物',
    },
    description: "Measuring and reducing the ICT sector's footprint, and using digital tools for climate monitoring and early warning.",
  },
  {
    week: 3, day: 3, start: '16:00', minutes: 60,
    slug: 'cafe-media-literacy', kind: 'knowledge-cafe', capacity: 30,
    title: {
      ar: 'التربية الإعلامية في مواجهة المعلومات المضللة',
      en: 'Media Literacy Against Misinformation',
      es: 'Alfabetización mediática frente a la desinformación',
      fr: "L'éducation aux médias face à la désinformation",
      ru: 'Медиаграмотность против дезинформации',
      zh: '以媒体素养应对错误信息',
    },
    description: 'Journalists and educators trade classroom-tested approaches to helping people recognise misinformation.',
  },
  {
    week: 3, day: 4, start: '14:00', minutes: 90,
    slug: 'thematic-multilingual-content', kind: 'thematic-workshop', capacity: 150,
    title: {
      ar: 'المحتوى المتعدد اللغات واللغات المحلية على الإنترنت',
      en: 'Multilingual Content and Local Languages Online',
      es: 'Contenidos multilingües y lenguas locales en línea',
      fr: 'Contenus multilingues et langues locales en ligne',
      ru: 'Многоязычный контент и местные языки в интернете',
      zh: '多语种内容与网络上的本地语言',
    },
    description: 'Internationalised domain names, local-language content and machine translation as tools for a multilingual Internet.',
  },

  // Week 5 — the special track closes the week.
  {
    week: 4, day: 0, start: '10:00', minutes: 90,
    slug: 'thematic-rural-broadband', kind: 'thematic-workshop', capacity: 200,
    title: {
      ar: 'النطاق العريض الميسور التكلفة للمجتمعات الريفية',
      en: 'Affordable Broadband for Rural Communities',
      es: 'Banda ancha asequible para las comunidades rurales',
      fr: 'Un haut débit abordable pour les communautés rurales',
      ru: 'Доступная по цене широкополосная связь для сельских общин',
      zh: '面向农村社区的可负担宽带',
    },
    description: 'Spectrum policy, infrastructure sharing and satellite options for bringing affordable broadband to rural areas.',
  },
  {
    week: 4, day: 1, start: '14:00', minutes: 90,
    slug: 'country-egypt', kind: 'country-workshop', capacity: 200,
    title: {
      ar: 'مصر: بناء اقتصاد رقمي',
      en: 'Egypt: Building a Digital Economy',
      es: 'Egipto: construir una economía digital',
      fr: 'Égypte : bâtir une économie numérique',
      ru: 'Египет: построение цифровой экономики',
      zh: '埃及：建设数字经济',
    },
    description: 'Egypt outlines its digital economy strategy, from technology parks to digital skills for young graduates.',
  },
  {
    week: 4, day: 2, start: '10:00', minutes: 120,
    slug: 'hlps-knowledge-societies', kind: 'high-level-policy-session', capacity: 600,
    title: {
      ar: 'مجتمعات المعرفة وبناء القدرات والتعلم الإلكتروني',
      en: 'Knowledge Societies, Capacity Building and E-Learning',
      es: 'Sociedades del conocimiento, creación de capacidad y aprendizaje electrónico',
      fr: 'Sociétés du savoir, renforcement des capacités et apprentissage en ligne',
      ru: 'Общества знаний, создание потенциала и электронное обучение',
      zh: '知识社会、能力建设和电子学习',
    },
    description: 'Policy makers discuss how education systems and lifelong learning must adapt to build inclusive knowledge societies.',
  },
  {
    week: 4, day: 2, start: '15:00', minutes: 90,
    slug: 'thematic-youth-digital-skills', kind: 'thematic-workshop', capacity: 250,
    title: {
      ar: 'المهارات الرقمية من أجل تشغيل الشباب',
      en: 'Digital Skills for Youth Employment',
      es: 'Competencias digitales para el empleo juvenil',
      fr: "Compétences numériques pour l'emploi des jeunes",
      ru: 'Цифровые навыки для трудоустройства молодежи',
      zh: '促进青年就业的数字技能',
    },
    description: 'Training programmes, certification and employer partnerships that turn digital skills into decent jobs for young people.',
  },
  {
    week: 4, day: 3, start: '16:00', minutes: 60,
    slug: 'cafe-green-data-centres', kind: 'knowledge-cafe', capacity: 25,
    title: {
      ar: 'مراكز البيانات الخضراء',
      en: 'Green Data Centres',
      es: 'Centros de datos ecológicos',
      fr: 'Centres de données verts',
      ru: '«Зеленые» центры обработки данных',
      zh: '绿色数据中心',
    },
    description: 'Operators compare notes on cooling, renewable power and heat reuse in data centres.',
  },
  {
    week: 4, day: 4, start: '10:00', minutes: 120,
    slug: 'special-track-older-persons', kind: 'special-track', capacity: 300,
    title: {
      ar: 'مسار خاص: تكنولوجيا المعلومات والاتصالات وكبار السن',
      en: 'Special Track: ICTs and Older Persons',
      es: 'Segmento especial: las TIC y las personas de edad',
      fr: 'Volet spécial : les TIC et les personnes âgées',
      ru: 'Специальный сегмент: ИКТ и пожилые люди',
      zh: '特别专题：信息通信技术与老年人',
    },
    description: 'A dedicated track on digital inclusion of older persons, from accessible devices to digital literacy programmes for seniors.',
  },

  // Week 6
  {
    week: 5, day: 0, start: '10:00', minutes: 90,
    slug: 'thematic-data-protection', kind: 'thematic-workshop', capacity: 250,
    title: {
      ar: 'حماية البيانات والثقة في الاقتصاد الرقمي',
      en: 'Data Protection and Trust in the Digital Economy',
      es: 'Protección de datos y confianza en la economía digital',
      fr: "Protection des données et confiance dans l'économie numérique",
      ru: 'Защита данных и доверие в цифровой экономике',
      zh: '数字经济中的数据保护与信任',
    },
    description: 'Data protection authorities and businesses discuss cross-border data flows and the trust they depend on.',
  },
  {
    week: 5, day: 1, start: '14:00', minutes: 90,
    slug: 'country-bangladesh', kind: 'country-workshop', capacity: 100,
    title: {
      ar: 'بنغلاديش: الشمول المالي عبر الهاتف المحمول',
      en: 'Bangladesh: Mobile Financial Inclusion',
      es: 'Bangladesh: inclusión financiera a través de la telefonía móvil',
      fr: "Bangladesh : l'inclusion financière par la téléphonie mobile",
      ru: 'Бангладеш: расширение доступа к финансовым услугам с помощью мобильной связи',
      zh: '孟加拉国：移动普惠金融',
    },
    description: 'Bangladesh explains how mobile money brought millions of unbanked people into the formal financial system.',
  },
  {
    week: 5, day: 2, start: '10:00', minutes: 120,
    slug: 'hlps-ethical-dimensions', kind: 'high-level-policy-session', capacity: 500,
    title: {
      ar: 'الأبعاد الأخلاقية لمجتمع المعلومات',
      en: 'Ethical Dimensions of the Information Society',
      es: 'Dimensiones éticas de la sociedad de la información',
      fr: "Dimensions éthiques de la société de l'information",
      ru: 'Этические аспекты информационного общества',
      zh: '信息社会的伦理层面',
    },
    description: 'Leaders reflect on human rights, privacy and the ethical use of emerging technologies in the information society.',
  },
  {
    week: 5, day: 2, start: '15:00', minutes: 90,
    slug: 'thematic-e-agriculture', kind: 'thematic-workshop', capacity: 100,
    title: {
      ar: 'الزراعة الإلكترونية: أدوات رقمية لصغار المزارعين',
      en: 'E-Agriculture: Digital Tools for Smallholder Farmers',
      es: 'Agricultura electrónica: herramientas digitales para los pequeños agricultores',
      fr: 'Cyberagriculture : des outils numériques pour les petits exploitants agricoles',
      ru: 'Электронное сельское хозяйство: цифровые инструменты для мелких фермеров',
      zh: '电子农业：面向小农户的数字工具',
    },
    description: 'Weather alerts, market prices and digital advisory services that raise smallholder incomes.',
  },
  {
    week: 5, day: 3, start: '16:00', minutes: 60,
    slug: 'cafe-accessible-web', kind: 'knowledge-cafe', capacity: 30,
    title: {
      ar: 'تصميم مواقع إلكترونية يسهل الوصول إليها',
      en: 'Designing Accessible Websites',
      es: 'Diseño de sitios web accesibles',
      fr: 'Concevoir des sites web accessibles',
      ru: 'Разработка доступных веб-сайтов',
      zh: '设计无障碍网站',
    },
    description: 'Web developers and screen-reader users review common accessibility mistakes and how to fix them.',
  },

  // Final week — Monday to Thursday, as in the 2020 forum.
  {
    week: FINAL_WEEK, day: 0, start: '10:00', minutes: 120,
    slug: 'policy-statements-part-1', kind: 'policy-statement', capacity: 1000,
    title: {
      ar: 'بيانات السياسات العامة للوزراء ورؤساء الوفود (الجزء الأول)',
      en: 'Policy Statements by Ministers and Heads of Delegation (Part I)',
      es: 'Declaraciones de política de ministros y jefes de delegación (Parte I)',
      fr: 'Déclarations de politique générale des ministres et chefs de délégation (Partie I)',
      ru: 'Общеполитические заявления министров и глав делегаций (часть I)',
      zh: '部长和代表团团长的政策声明（第一部分）',
    },
    description: 'Ministers and heads of delegation deliver short policy statements on national progress in building the information society.',
  },
  {
    week: FINAL_WEEK, day: 0, start: '14:00', minutes: 120,
    slug: 'policy-statements-part-2', kind: 'policy-statement', capacity: 1000,
    title: {
      ar: 'بيانات السياسات العامة للوزراء ورؤساء الوفود (الجزء الثاني)',
      en: 'Policy Statements by Ministers and Heads of Delegation (Part II)',
      es: 'Declaraciones de política de ministros y jefes de delegación (Parte II)',
      fr: 'Déclarations de politique générale des ministres et chefs de délégation (Partie II)',
      ru: 'Общеполитические заявления министров и глав делегаций (часть II)',
      zh: '部长和代表团团长的政策声明（第二部分）',
    },
    description: 'The second round of policy statements, continuing the list of speakers from the morning.',
  },
  {
    week: FINAL_WEEK, day: 1, start: '10:00', minutes: 90,
    slug: 'hld-digital-cooperation', kind: 'high-level-dialogue', capacity: 800,
    title: {
      ar: 'حوار رفيع المستوى: التعاون الرقمي والشراكات من أجل أهداف التنمية المستدامة',
      en: 'High-Level Dialogue: Digital Cooperation and Partnerships for the SDGs',
      es: 'Diálogo de alto nivel: cooperación digital y alianzas para los ODS',
      fr: 'Dialogue de haut niveau : coopération numérique et partenariats au service des ODD',
      ru: 'Диалог высокого уровня: цифровое сотрудничество и партнерства для достижения ЦУР',
      zh: '高级别对话：促进可持续发展目标的数字合作与伙伴关系',
    },
    description: 'An interactive dialogue among heads of UN agencies, ministers and industry leaders on multistakeholder partnerships for the SDGs.',
  },
  {
    // Restricted: seats are allocated to accredited ministers, so the
    // pipeline must route requests through approval rather than first-come.
    week: FINAL_WEEK, day: 1, start: '14:00', minutes: 120,
    slug: 'ministerial-round-table', kind: 'ministerial-round-table', capacity: 40, restricted: true,
    title: {
      ar: 'اجتماع المائدة المستديرة الوزاري: التحول الرقمي من أجل تعافٍ قادر على الصمود',
      en: 'Ministerial Round Table: Digital Transformation for a Resilient Recovery',
      es: 'Mesa redonda ministerial: la transformación digital para una recuperación resiliente',
      fr: "Table ronde ministérielle : la transformation numérique au service d'une reprise résiliente",
      ru: 'Круглый стол на уровне министров: цифровая трансформация для устойчивого восстановления',
      zh: '部长级圆桌会议：以数字化转型促进韧性复苏',
    },
    description: 'A closed round table where ministers exchange views on using digital transformation to drive a resilient recovery. Participation by invitation only.',
  },
  {
    week: FINAL_WEEK, day: 2, start: '10:00', minutes: 90,
    slug: 'hld-resilient-infrastructure', kind: 'high-level-dialogue', capacity: 600,
    title: {
      ar: 'حوار رفيع المستوى: بنية تحتية رقمية قادرة على الصمود في أوقات الأزمات',
      en: 'High-Level Dialogue: Resilient Digital Infrastructure in Times of Crisis',
      es: 'Diálogo de alto nivel: infraestructuras digitales resilientes en tiempos de crisis',
      fr: 'Dialogue de haut niveau : des infrastructures numériques résilientes en temps de crise',
      ru: 'Диалог высокого уровня: устойчивая цифровая инфраструктура в кризисных условиях',
      zh: '高级别对话：危机时期具有韧性的数字基础设施',
    },
    description: 'Regulators and operators discuss keeping networks running through pandemics, disasters and traffic surges.',
  },
  {
    week: FINAL_WEEK, day: 2, start: '14:00', minutes: 60,
    slug: 'action-line-c4-capacity-building', kind: 'action-line-meeting', capacity: 150,
    title: {
      ar: 'اجتماع تيسير خط العمل C4: بناء القدرات',
      en: 'Action Line C4 Facilitation Meeting: Capacity Building',
      es: 'Reunión de facilitación de la Línea de Acción C4: creación de capacidad',
      fr: 'Réunion de facilitation de la grande orientation C4 : renforcement des capacités',
      ru: 'Собрание по содействию реализации Направления деятельности C4: создание потенциала',
      zh: 'C4行动方面促进会议：能力建设',
    },
    description: 'The annual facilitation meeting for Action Line C4 reviews progress and agrees priorities for digital capacity building.',
  },
  {
    week: FINAL_WEEK, day: 3, start: '10:00', minutes: 60,
    slug: 'action-line-c7-e-health', kind: 'action-line-meeting', capacity: 150,
    title: {
      ar: 'اجتماع تيسير خط العمل C7: الصحة الإلكترونية',
      en: 'Action Line C7 Facilitation Meeting: E-Health',
      es: 'Reunión de facilitación de la Línea de Acción C7: cibersalud',
      fr: 'Réunion de facilitation de la grande orientation C7 : cybersanté',
      ru: 'Собрание по содействию реализации Направления деятельности C7: электронное здравоохранение',
      zh: 'C7行动方面促进会议：电子卫生',
    },
    description: 'Facilitators of Action Line C7 (e-health) report on activities since the last forum and plan joint work for the coming year.',
  },
  {
    week: FINAL_WEEK, day: 3, start: '16:00', minutes: 90,
    slug: 'prize-ceremony', kind: 'prize-ceremony', capacity: 1000,
    title: {
      ar: 'حفل توزيع جوائز المنتدى',
      en: 'Forum Prizes Award Ceremony',
      es: 'Ceremonia de entrega de los premios del Foro',
      fr: 'Cérémonie de remise des prix du Forum',
      ru: 'Церемония вручения наград Форума',
      zh: '论坛奖项颁奖典礼',
    },
    description: 'Winners and champions of this year\'s Forum Prizes are announced and honoured for ICT projects that advance the SDGs.',
  },
];

// 'en-US' pins the output shape ("GMT+01:00", or bare "GMT" at zero offset)
// regardless of the host's default locale.
const offsetFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  timeZoneName: 'longOffset',
});

/** Europe/Zurich UTC offset in minutes at the given instant. */
function zurichOffsetMinutes(epochMs: number): number {
  const name = offsetFormatter
    .formatToParts(new Date(epochMs))
    .find((part) => part.type === 'timeZoneName')?.value;
  if (name === undefined) throw new Error('Intl did not return a time zone name');
  if (name === 'GMT') return 0;
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (match === null) throw new Error(`Unexpected time zone offset format: ${name}`);
  const [, sign, hours, minutes] = match;
  const magnitude = Number(hours) * 60 + Number(minutes);
  return sign === '-' ? -magnitude : magnitude;
}

const pad = (value: number): string => String(value).padStart(2, '0');

/**
 * Formats a Zurich wall-clock time (encoded as if it were UTC) as ISO 8601
 * with the offset that applies on that date.
 */
function zurichWallTimeToIso(wallMs: number): string {
  // The offset depends on the real instant, which depends on the offset; one
  // refinement step is exact for every time outside the 02:00–03:00 DST
  // transition hour, and the programme never schedules anything there.
  const offset = zurichOffsetMinutes(wallMs - zurichOffsetMinutes(wallMs) * MINUTE_MS);
  const wall = new Date(wallMs);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}` +
    `T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:00` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** Midnight (wall clock, encoded as UTC) of the first Zurich Monday strictly after `now`. */
function nextZurichMonday(now: Date): number {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('demoProgramme: `now` is an invalid Date');
  // Shift into Zurich wall-clock so getUTC* reads the local calendar date;
  // near midnight the Zurich date differs from the UTC one.
  const wall = new Date(nowMs + zurichOffsetMinutes(nowMs) * MINUTE_MS);
  const dayOfWeek = wall.getUTCDay(); // 0 = Sunday
  // "Strictly after": a Monday `now` jumps a full week ahead.
  const daysAhead = (8 - dayOfWeek) % 7 || 7;
  return Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() + daysAhead);
}

function parseClock(start: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(start);
  if (match === null) throw new Error(`Invalid clock time in demo programme: ${start}`);
  return (Number(match[1]) * 60 + Number(match[2])) * MINUTE_MS;
}

/**
 * Builds the demo programme of the virtual forum: six weeks of weekly sessions
 * (thematic and country workshops, high-level policy sessions, knowledge cafés,
 * a two-day hackathon, an exhibition and a special track) followed by a final
 * week of policy statements, high-level dialogues, action-line meetings, a
 * ministerial round table and a prize ceremony.
 *
 * Sessions start on the first Monday strictly after `now` in Europe/Zurich and
 * fall on Geneva working days between 09:00 and 18:00 local time. Every
 * timestamp carries the Europe/Zurich offset valid on its own date, so weeks
 * on either side of a DST change get `+01:00` or `+02:00` accordingly.
 *
 * @param now - Reference instant; the output depends only on this value.
 * @returns The sessions in chronological order, each titled in all six UN languages.
 * @throws RangeError if `now` is an invalid Date.
 */
export function demoProgramme(now: Date): DemoProgramme {
  const monday = nextZurichMonday(now);
  const sessions = entries.map((entry): DemoSession => {
    const prefix = entry.week === FINAL_WEEK ? 'final' : `w${entry.week + 1}`;
    const sessionId = `${prefix}-${entry.slug}`;
    // Wall-clock arithmetic keeps local times fixed across DST changes.
    const startWall = monday + (entry.week * 7 + entry.day) * DAY_MS + parseClock(entry.start);
    const endWall = startWall + entry.minutes * MINUTE_MS;
    const session: DemoSession = {
      sessionId,
      title: { ...entry.title },
      kind: entry.kind,
      startsAt: zurichWallTimeToIso(startWall),
      endsAt: zurichWallTimeToIso(endWall),
      capacity: entry.capacity,
      description: { en: entry.description },
    };
    if (entry.restricted === true) {
      // Restricted sessions get their link from the organisers after approval,
      // so publishing one here would bypass the accreditation step.
      session.restricted = true;
    } else {
      session.joinUrl = `${JOIN_BASE_URL}${sessionId}`;
    }
    return session;
  });
  return { sessions };
}
