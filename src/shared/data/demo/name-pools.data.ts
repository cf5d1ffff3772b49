/** Name pools by language, so customers look like they live where they order from. */
interface NamePool {
  first: string[];
  last: string[];
  companySuffix: string[];
  tld: string;
}

const GERMAN: NamePool = {
  first: ['Anna', 'Lena', 'Marie', 'Sophie', 'Laura', 'Julia', 'Lukas', 'Jonas', 'Felix', 'Leon', 'Paul', 'Maximilian', 'Katrin', 'Tobias', 'Sabine', 'Jan'],
  last: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Schulz', 'Koch', 'Richter', 'Klein', 'Wolf', 'Neumann', 'Braun'],
  companySuffix: ['GmbH', 'GmbH & Co. KG', 'AG'],
  tld: 'de',
};
const FRENCH: NamePool = {
  first: ['Camille', 'Léa', 'Chloé', 'Manon', 'Emma', 'Lucas', 'Hugo', 'Louis', 'Jules', 'Nathan', 'Élodie', 'Thomas', 'Julien', 'Claire'],
  last: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel'],
  companySuffix: ['SARL', 'SAS'],
  tld: 'fr',
};
const DUTCH: NamePool = {
  first: ['Sanne', 'Emma', 'Lotte', 'Fleur', 'Daan', 'Sem', 'Bram', 'Lars', 'Thijs', 'Anouk', 'Ruben', 'Iris'],
  last: ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'Peeters'],
  companySuffix: ['B.V.', 'NV'],
  tld: 'nl',
};
const SPANISH: NamePool = {
  first: ['Lucía', 'María', 'Paula', 'Sofía', 'Hugo', 'Pablo', 'Daniel', 'Alejandro', 'Carmen', 'Javier', 'Marta', 'Diego'],
  last: ['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Ruiz', 'Díaz', 'Moreno'],
  companySuffix: ['S.L.', 'S.A.'],
  tld: 'es',
};
const ITALIAN: NamePool = {
  first: ['Giulia', 'Sofia', 'Aurora', 'Martina', 'Francesco', 'Alessandro', 'Lorenzo', 'Matteo', 'Chiara', 'Luca', 'Elena', 'Marco'],
  last: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo'],
  companySuffix: ['S.r.l.', 'S.p.A.'],
  tld: 'it',
};
const POLISH: NamePool = {
  first: ['Anna', 'Zuzanna', 'Julia', 'Maja', 'Jakub', 'Antoni', 'Szymon', 'Jan', 'Katarzyna', 'Piotr', 'Agnieszka', 'Tomasz'],
  last: ['Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik', 'Kowalczyk', 'Kamiński', 'Lewandowski', 'Zieliński', 'Szymański', 'Woźniak', 'Dąbrowski', 'Kozłowski'],
  companySuffix: ['Sp. z o.o.', 'S.A.'],
  tld: 'pl',
};
const SCANDINAVIAN: NamePool = {
  first: ['Elsa', 'Alice', 'Maja', 'Ida', 'Freja', 'William', 'Oscar', 'Lucas', 'Emil', 'Noah', 'Astrid', 'Magnus'],
  last: ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Hansen', 'Jensen', 'Nielsen', 'Pedersen', 'Larsen', 'Lindqvist', 'Berg'],
  companySuffix: ['AB', 'ApS', 'A/S'],
  tld: 'se',
};
const ENGLISH: NamePool = {
  first: ['Olivia', 'Emily', 'Amelia', 'Isla', 'Sophie', 'Jack', 'Harry', 'Oliver', 'George', 'Noah', 'Charlotte', 'James', 'Grace', 'Thomas', 'Ella', 'William'],
  last: ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Hughes', 'Green'],
  companySuffix: ['Ltd', 'Ltd', 'LLP'],
  tld: 'co.uk',
};
const AMERICAN: NamePool = {
  first: ['Emma', 'Ava', 'Mia', 'Harper', 'Abigail', 'Liam', 'Ethan', 'Mason', 'Logan', 'Jacob', 'Madison', 'Tyler', 'Brianna', 'Carlos', 'Jasmine', 'Kevin'],
  last: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Jackson', 'Lee'],
  companySuffix: ['LLC', 'Inc.', 'Co.'],
  tld: 'com',
};
const IRISH: NamePool = {
  first: ['Aoife', 'Saoirse', 'Niamh', 'Ciara', 'Conor', 'Seán', 'Cian', 'Darragh', 'Orla', 'Eoin', 'Siobhán', 'Liam'],
  last: ["O'Brien", 'Murphy', 'Kelly', "O'Sullivan", 'Walsh', 'Byrne', 'Ryan', "O'Connor", 'McCarthy', 'Doyle', 'Kennedy', 'Lynch'],
  companySuffix: ['Ltd', 'DAC'],
  tld: 'ie',
};

const BY_COUNTRY: Record<string, NamePool> = {
  Germany: GERMAN,
  Austria: { ...GERMAN, tld: 'at' },
  France: FRENCH,
  Belgium: { ...DUTCH, first: [...DUTCH.first, ...FRENCH.first.slice(0, 6)], tld: 'be' },
  Netherlands: DUTCH,
  Spain: SPANISH,
  Italy: ITALIAN,
  Poland: POLISH,
  Sweden: SCANDINAVIAN,
  Denmark: { ...SCANDINAVIAN, tld: 'dk' },
  'United Kingdom': ENGLISH,
  Ireland: IRISH,
  'United States': AMERICAN,
  Canada: { ...AMERICAN, first: [...AMERICAN.first, 'Chloé', 'Étienne', 'Maxime'], tld: 'ca' },
  Australia: { ...ENGLISH, companySuffix: ['Pty Ltd'], tld: 'com.au' },
};

export function namePoolFor(country: string): NamePool {
  return BY_COUNTRY[country] ?? ENGLISH;
}

/** Words a small business might be named after ("Kern Studio GmbH"). */
export const COMPANY_WORDS = [
  'Studio', 'Atelier', 'Collective', 'Concept Store', 'Boutique', 'Trading', 'Hospitality',
  'Design', 'Events', 'Workshop', 'Supply', 'Café', 'Interiors', 'Partners',
];

const slugCache = new Map<string, string>();

/**
 * Plain ASCII for email parts: "Wiśniewski" → "wisniewski". Memoised because the
 * inputs come from small pools and NFD normalisation showed up in profiles.
 */
export function asciiSlug(text: string): string {
  let slug = slugCache.get(text);
  if (slug === undefined) {
    slug = computeSlug(text);
    slugCache.set(text, slug);
  }
  return slug;
}

function computeSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}
