// The demo newsroom's desks and staff. Names other than the IFP Editorial Staff are invented.
import type { DeskInput } from '../desks/repository.ts';
import type { PersonInput } from '../people/repository.ts';
import { EDITORIAL_STAFF_BIO } from './stories.ts';

export const SITE = { siteName: 'Iran Front Page', tagline: 'Iran news, analysis and opinion in English' };

export const DESKS: Array<DeskInput & { slug: string; editors: string[] }> = [
  { slug: 'politics', name: 'Politics', description: 'Government, parliament, diplomacy and the nuclear file.', email: 'politics@ifpnews.example', editors: ['nadia-farahani'] },
  { slug: 'economy', name: 'Economy', description: 'Markets, energy, trade and the everyday cost of living.', email: 'economy@ifpnews.example', editors: ['kamran-moradi'] },
  { slug: 'world', name: 'World', description: 'The region and the world, as seen from Tehran.', email: 'world@ifpnews.example', editors: ['nadia-farahani'] },
  { slug: 'society', name: 'Society', description: 'Health, education, environment and city life.', email: 'society@ifpnews.example', editors: ['shirin-jafari'] },
  { slug: 'sports', name: 'Sports', description: 'Football, wrestling, volleyball and every national team.', email: 'sports@ifpnews.example', editors: ['arash-bahrami'] },
  { slug: 'culture', name: 'Culture', description: 'Cinema, books, music, heritage and the arts.', email: 'culture@ifpnews.example', editors: ['shirin-jafari'] },
  { slug: 'science', name: 'Science', description: 'Research, technology and space.', email: 'science@ifpnews.example', editors: ['arash-bahrami'] },
  { slug: 'opinion', name: 'Opinion', description: 'Columns and analysis from our writers and guests.', email: 'opinion@ifpnews.example', editors: ['kamran-moradi'] },
];

export const PEOPLE: Array<PersonInput & { slug: string }> = [
  {
    slug: 'ifp-editorial-staff',
    name: 'IFP Editorial Staff',
    kind: 'collective',
    title: 'Editorial team',
    bio: EDITORIAL_STAFF_BIO,
    contacts: [
      { kind: 'email', value: 'editorial@ifpnews.example' },
      { kind: 'phone', value: '+98 21 5555 0100' },
      { kind: 'telegram', value: '@ifpnews_example' },
      { kind: 'x', value: '@ifpnews_example' },
    ],
  },
  { slug: 'nadia-farahani', name: 'Nadia Farahani', title: 'Editor, Politics and World', bio: 'Nadia Farahani edits the Politics and World desks. She has covered Iranian diplomacy for fifteen years.', contacts: [{ kind: 'email', value: 'nadia.farahani@ifpnews.example' }, { kind: 'x', value: '@nfarahani_example' }] },
  { slug: 'kamran-moradi', name: 'Kamran Moradi', title: 'Editor, Economy and Opinion', bio: 'Kamran Moradi edits the Economy and Opinion desks and writes on energy markets.', contacts: [{ kind: 'email', value: 'kamran.moradi@ifpnews.example' }, { kind: 'phone', value: '+98 21 5555 0120' }] },
  { slug: 'shirin-jafari', name: 'Shirin Jafari', title: 'Editor, Society and Culture', bio: 'Shirin Jafari edits the Society and Culture desks.', contacts: [{ kind: 'email', value: 'shirin.jafari@ifpnews.example' }, { kind: 'telegram', value: '@sjafari_example' }] },
  { slug: 'arash-bahrami', name: 'Arash Bahrami', title: 'Editor, Sports and Science', bio: 'Arash Bahrami edits the Sports and Science desks.', contacts: [{ kind: 'email', value: 'arash.bahrami@ifpnews.example' }] },
  { slug: 'sara-karimi', name: 'Sara Karimi', title: 'Journalist', bio: 'Sara Karimi reports on Iran’s foreign relations and Iranians abroad.', contacts: [{ kind: 'email', value: 'sara.karimi@ifpnews.example' }] },
  { slug: 'reza-ahmadi', name: 'Reza Ahmadi', title: 'News-writer', bio: 'Reza Ahmadi writes on society, charities and city life.', contacts: [{ kind: 'email', value: 'reza.ahmadi@ifpnews.example' }] },
  { slug: 'leila-hosseini', name: 'Leila Hosseini', title: 'Analyst', bio: 'Leila Hosseini analyses the politics of the region.', contacts: [{ kind: 'email', value: 'leila.hosseini@ifpnews.example' }] },
  { slug: 'omid-rahimi', name: 'Omid Rahimi', title: 'Journalist', bio: 'Omid Rahimi covers football and the national teams.', contacts: [{ kind: 'email', value: 'omid.rahimi@ifpnews.example' }] },
];
