// Demo newsroom content: the reference page's story verbatim and its six Recent Posts
// (titles and openings from the reference page; the rest written for the demo).
import type { DemoStory } from './types.ts';

export const EDITORIAL_STAFF_BIO =
  "The IFP Editorial Staff is composed of dozens of skilled journalists, news-writers, and analysts whose works are edited and published by experienced editors specialized in Iran News. The editor of each IFP Service is responsible for the report published by the Iran Front Page (IFP) news website, and can be contacted through the ways mentioned in the \"IFP Editorial Staff\" section.";

export const REFERENCE_STORY: DemoStory = {
  "slug": "no-talks-to-be-held-with-us-at-any-level-iran-leader",
  "headline": "No Talks to Be Held with US at Any Level: Iran Leader",
  "kicker": "IFP Exclusive",
  "desk": "politics",
  "tags": [
    "Iran",
    "US",
    "JCPOA",
    "Europe"
  ],
  "bylines": [
    "ifp-editorial-staff"
  ],
  "bodyHtml": "<p>Leader of Iran’s Islamic Revolution Ayatollah Seyyed Ali Khamenei says no negotiation will be held with the US at any level as the Trump administration wants to tell the world it has forced the Islamic Republic to sit for talks.</p>\n<p>Ayatollah Khamenei on Wednesday said the current officials in the US are blatantly showing enmity towards Iran unlike their predecessors who at least tried to pretend otherwise.</p>\n<p>“So there will be no negotiation at any levels with the Americans,” said the Leader, addressing cabinet members on the occasion of Government Week.</p>\n<p>Ayatollah Khamenei noted that all previous US administration were after holding talks with the Islamic Republic, adding, “They want to say that we even managed to bring Iran to the negotiating table; so, as I have already stated in detail, there will be no talks with them.”</p>\n<p>The Leader underlined that there is no problem with the continuation of negotiations with Europe, but the negotiators must not hold out so much hope [on Europe] on issues such as the JCPOA and economy.</p>\n<p>He also criticised Europe’s inappropriate behaviour on issues like sanctions and the nuclear deal stressing that Iran must look at the process with uncertainty and great care.</p>\n<p>Ayatollah Khamenei said the JCPOA is a means to preserve national interests noting that the 2015 agreement is not a goal, but a means.</p>\n<p>“Therefore, if we come to the conclusion that it is not possible to maintain national interests by this means, we will abandon it,” he added.</p>\n<p>“Europeans should understand from the remarks and actions of the Iranian officials that their measures will lead to appropriate moves by the Islamic Republic of Iran,” he underlined.</p>",
  "ageMinutes": 45
};

export const RECENT_STORIES: DemoStory[] = [
  {
    "slug": "iranian-consulate-in-kazan-protests-violent-arrest-of-iranian-students-by-russian-police",
    "headline": "Iranian Consulate in Kazan protests violent arrest of Iranian students by Russian police",
    "kicker": "",
    "desk": "world",
    "tags": [
      "Iran",
      "Russia",
      "Students"
    ],
    "bylines": [
      "sara-karimi"
    ],
    "bodyHtml": "<p>The Iranian Consulate in the Russia city of Kazan has announced the release of two Iranian students who had been detained by local police earlier this week.</p>\n<p>In a statement, the consulate said it had formally protested to the Russian authorities over what it described as the violent treatment of the students during their arrest, and asked for a full investigation.</p>\n<p>Consular officials said they remained in contact with the students and their families, and urged Iranian nationals studying in the city to carry their documents at all times.</p>",
    "ageMinutes": 20
  },
  {
    "slug": "record-number-of-aid-workers-killed-in-2024-un",
    "headline": "Record number of aid workers killed in 2024: UN",
    "kicker": "",
    "desk": "world",
    "tags": [
      "United Nations",
      "Humanitarian aid"
    ],
    "bylines": [
      "ifp-editorial-staff"
    ],
    "bodyHtml": "<p>At least 281 humanitarian workers have died so far this year, with most of them killed in Gaza, making 2024 the deadliest year on record for aid workers, the United Nations said.</p>\n<p>The UN’s humanitarian office said the figure surpassed the previous record set in 2023, and called on all parties to conflicts to respect international humanitarian law and protect those delivering aid.</p>\n<p>“Humanitarian workers are being killed at an unprecedented rate,” the office said, adding that local staff accounted for the great majority of the victims.</p>",
    "ageMinutes": 120
  },
  {
    "slug": "irans-national-7-a-side-football-team-clinches-world-cup-title-in-spain",
    "headline": "Iran’s National 7-a-Side football team clinches World Cup title in Spain",
    "kicker": "",
    "desk": "sports",
    "tags": [
      "Iran",
      "Football"
    ],
    "bylines": [
      "omid-rahimi"
    ],
    "bodyHtml": "<p>Iran's national 7-a-side football team emerged victorious by defeating Ukraine at the FIFA 7-a-Side World Cup final in Spain, claiming the title for the first time.</p>\n<p>The Iranian side, which had gone through the group stage unbeaten, controlled the final from the opening minutes and held on to its lead until the final whistle.</p>\n<p>Players and staff dedicated the victory to the people of Iran, and the team is expected to receive a welcome ceremony on its return to Tehran.</p>",
    "ageMinutes": 125
  },
  {
    "slug": "palestinian-child-deaths-by-israel-triple-in-west-bank-un",
    "headline": "Palestinian child deaths by Israel triple in West Bank: UN",
    "kicker": "",
    "desk": "world",
    "tags": [
      "United Nations",
      "Palestine",
      "West Bank"
    ],
    "bylines": [
      "leila-hosseini"
    ],
    "bodyHtml": "<p>The United Nations has reported a \"three-fold\" surge in Israeli army killing of Palestinian children in the occupied West Bank over the past year.</p>\n<p>According to the UN children’s agency, the number of children killed in the territory rose sharply compared with the same period a year earlier, with many of the deaths occurring during raids on refugee camps.</p>\n<p>The agency called for an immediate end to violence against children and for those responsible to be held accountable.</p>",
    "ageMinutes": 420
  },
  {
    "slug": "iran-hamdel-campaign-sends-aid-to-gaza-amid-war",
    "headline": "“Iran Hamdel” campaign sends aid to Gaza amid war",
    "kicker": "",
    "desk": "society",
    "tags": [
      "Iran",
      "Gaza",
      "Humanitarian aid"
    ],
    "bylines": [
      "reza-ahmadi"
    ],
    "bodyHtml": "<p>Aid items donated by millions of Iranians within a national campaign, have reached the beseiged Gaza Strip, organisers of the “Iran Hamdel” campaign said.</p>\n<p>The shipment includes food, medicine and hygiene supplies collected in cities across the country over recent weeks, and was delivered with the help of international relief organisations.</p>\n<p>Organisers said further consignments were being prepared and thanked the people who had taken part in the campaign.</p>",
    "ageMinutes": 900
  },
  {
    "slug": "iranian-deputy-fm-cooperation-with-saudis-serves-as-a-successful-model-for-fostering-peace-and-security",
    "headline": "Iranian deputy FM: Cooperation with Saudis serves as a successful model for fostering peace and security",
    "kicker": "",
    "desk": "politics",
    "tags": [
      "Iran",
      "Saudi Arabia",
      "Diplomacy"
    ],
    "bylines": [
      "nadia-farahani"
    ],
    "bodyHtml": "<p>Iran's Deputy Foreign Minister Majid Takht Ravanchi has said Iran and Saudi Arabia are committed to expanding their relations in all fields.</p>\n<p>Speaking after a meeting with Saudi officials, Takht Ravanchi said cooperation between the two neighbours had become a successful model for fostering peace and security in the region.</p>\n<p>He added that regular consultations between Tehran and Riyadh would continue, and that both sides saw dialogue as the way to address regional challenges.</p>",
    "ageMinutes": 905
  }
];

/** Older stories, so related stories, desks and the archive have something to show. */
export const OLDER_STORIES: DemoStory[] = [
  {
    slug: 'europe-must-act-on-its-jcpoa-commitments-says-foreign-ministry',
    headline: 'Europe must act on its JCPOA commitments, says Foreign Ministry',
    kicker: '',
    desk: 'politics',
    tags: ['Iran', 'Europe', 'JCPOA', 'Diplomacy'],
    bylines: ['sara-karimi'],
    bodyHtml:
      '<p>Iran’s Foreign Ministry spokesman said the European parties to the 2015 nuclear deal must take practical steps to meet their commitments rather than issue statements.</p>\n<p>“Words are not enough; what matters is action,” the spokesman told reporters at his weekly news conference in Tehran.</p>\n<p>He said Iran remained open to dialogue with Europe, but that the country would protect its national interests whatever the outcome of the talks.</p>',
    ageMinutes: 2 * 24 * 60 + 90,
  },
  {
    slug: 'what-the-end-of-the-nuclear-deal-would-mean-for-irans-economy',
    headline: 'What the end of the nuclear deal would mean for Iran’s economy',
    kicker: 'Analysis',
    desk: 'economy',
    tags: ['Iran', 'JCPOA', 'Sanctions', 'Oil'],
    bylines: ['leila-hosseini'],
    bodyHtml:
      '<p>Iran’s economy has already adjusted to years of sanctions, but the formal end of the nuclear deal would close doors that some traders still hoped to reopen.</p>\n<h2>Oil first</h2>\n<p>Crude exports remain the most exposed. Buyers in Asia have kept purchasing through intermediaries, at a discount that eats into the state’s revenue.</p>\n<h2>Prices at home</h2>\n<p>For households the question is inflation. Every new restriction has in the past been followed by a weaker rial and dearer imports.</p>\n<blockquote><p>“The market has priced in a great deal of bad news already,” one Tehran economist said.</p></blockquote>',
    ageMinutes: 3 * 24 * 60 + 240,
  },
  {
    slug: 'the-us-cannot-talk-and-sanction-at-the-same-time',
    headline: 'The US cannot talk and sanction at the same time',
    kicker: 'Opinion',
    desk: 'opinion',
    tags: ['Iran', 'US', 'Sanctions', 'Diplomacy'],
    bylines: ['kamran-moradi'],
    bodyHtml:
      '<p>Washington says it wants negotiations, yet every offer of talks arrives together with a new round of sanctions. No government could accept dialogue on those terms.</p>\n<p>Diplomacy needs a minimum of trust. Until the United States shows that it will keep its word, Tehran’s refusal to sit at the table is not stubbornness but prudence.</p>',
    ageMinutes: 5 * 24 * 60 + 30,
  },
];
